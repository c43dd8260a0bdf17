package org.bastion.fhir.validation;

import ca.uhn.fhir.parser.DataFormatException;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.fhir.application.Fhir;
import org.bastion.platform.InvalidInputException;

import java.io.InputStream;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * FHIR packages an admin loads for validation: each package's StructureDefinitions, ValueSets and
 * CodeSystems are kept, and the validator uses them besides the R4 definitions it ships with.
 * A package is refused with the reason when it is not a gzipped tar of a FHIR package, is not for
 * R4, has a resource that does not parse as R4, or is the R4 core itself (built in).
 */
@Stateless
public class ValidationPackages {

    /** The conformance resources the validator takes from a package. */
    public static final Set<String> TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");
    static final String CORE = "hl7.fhir.r4.core";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,213}", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}");

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<Changed> changed;

    /** Packages were loaded or removed: this node's validator is built again at its next use (other nodes notice within 5 s). */
    public record Changed() {
    }

    private final Clock clock = Clock.systemUTC();

    /** Loads a package (replacing one of the same name): what was kept. */
    public ValidationPackage load(InputStream tgz, String loadedBy) {
        Map<String, String> files = PackageArchive.jsonFiles(tgz);
        String manifest = files.remove("package.json");
        if (manifest == null) {
            throw new InvalidInputException("package", "has no package/package.json: it is not a FHIR NPM package");
        }
        JsonObject about = object(manifest, "package.json");
        String name = text(about, "name");
        String version = text(about, "version");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("package", "package.json has no valid name (such as hl7.fhir.us.core)");
        }
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new InvalidInputException("package", "package.json of " + name + " has no valid version");
        }
        if (name.equalsIgnoreCase(CORE)) {
            throw new InvalidInputException("package", CORE + " is built in: the validator always has the R4 definitions");
        }
        List<String> fhirVersions = fhirVersions(about);
        if (!fhirVersions.isEmpty() && fhirVersions.stream().noneMatch(v -> v.startsWith("4.0"))) {
            throw new InvalidInputException("package", name + "#" + version + " is for FHIR " + fhirVersions
                    + "; Bastion validates FHIR R4 (4.0.x): load the package's R4 edition");
        }
        files.remove(".index.json");
        List<ConformanceResource> kept = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, String> file : files.entrySet()) {
            JsonObject resource = object(file.getValue(), file.getKey());
            String type = text(resource, "resourceType");
            String url = text(resource, "url");
            if (type == null || !TYPES.contains(type) || url == null) {
                skipped++;
                continue;
            }
            if (url.length() > 1024) {
                throw new InvalidInputException("package", file.getKey() + " has a url longer than 1024 characters");
            }
            try {
                Fhir.r4().newJsonParser().parseResource(file.getValue());
            } catch (DataFormatException e) {
                throw new InvalidInputException("package", file.getKey() + " is not a FHIR R4 " + type + ": " + e.getMessage());
            }
            String resourceVersion = text(resource, "version");
            kept.add(new ConformanceResource(UUID.randomUUID().toString(), name, type, url,
                    resourceVersion == null || resourceVersion.length() > 64 ? null : resourceVersion, file.getValue()));
        }
        if (kept.isEmpty()) {
            throw new InvalidInputException("package", name + "#" + version + " has no StructureDefinition, ValueSet or CodeSystem with a url:"
                    + " nothing to validate with");
        }
        delete(name);
        ValidationPackage loaded = new ValidationPackage(name, version, fhirVersions.isEmpty() ? "unknown" : String.join(" ", fhirVersions),
                kept.size(), skipped, loadedBy, clock.instant());
        em.persist(loaded);
        kept.forEach(em::persist);
        changed.fire(new Changed());
        return loaded;
    }

    public List<ValidationPackage> list() {
        return em.createQuery("select p from ValidationPackage p order by p.name", ValidationPackage.class).getResultList();
    }

    public Optional<ValidationPackage> find(String name) {
        return name == null || name.length() > 214 ? Optional.empty() : Optional.ofNullable(em.find(ValidationPackage.class, name));
    }

    /** Removes a package and its resources: false when there is none. */
    public boolean delete(String name) {
        Optional<ValidationPackage> found = find(name);
        found.ifPresent(p -> {
            em.createQuery("delete from ConformanceResource c where c.packageName = :name").setParameter("name", p.name()).executeUpdate();
            em.remove(p);
            changed.fire(new Changed());
        });
        return found.isPresent();
    }

    /** Changes whenever a package is loaded, loaded again or removed (on any node). */
    public String generation() {
        Object[] row = em.createQuery("select count(p), max(p.loadedAt) from ValidationPackage p", Object[].class).getSingleResult();
        return row[0] + "@" + row[1];
    }

    /** Every loaded conformance resource. */
    public List<ConformanceResource> resources() {
        return em.createQuery("select c from ConformanceResource c order by c.packageName, c.url", ConformanceResource.class).getResultList();
    }

    private static List<String> fhirVersions(JsonObject about) {
        List<String> versions = new ArrayList<>();
        if (about.get("fhirVersions") instanceof JsonArray array) {
            array.stream().filter(JsonString.class::isInstance).map(v -> ((JsonString) v).getString()).forEach(versions::add);
        }
        if (versions.isEmpty() && about.get("dependencies") instanceof JsonObject dependencies) {
            for (String core : List.of("hl7.fhir.r4.core", "hl7.fhir.r4b.core", "hl7.fhir.r5.core", "hl7.fhir.r3.core")) {
                if (dependencies.get(core) instanceof JsonString v) {
                    versions.add(v.getString());
                }
            }
        }
        return versions;
    }

    private static JsonObject object(String json, String file) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException e) {
            throw new InvalidInputException("package", file + " is not valid JSON: " + e.getMessage());
        }
        throw new InvalidInputException("package", file + " is not a JSON object");
    }

    private static String text(JsonObject json, String field) {
        return json.get(field) instanceof JsonString s ? s.getString() : null;
    }
}
