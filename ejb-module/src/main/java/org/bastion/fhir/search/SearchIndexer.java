package org.bastion.fhir.search;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.UriType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Extracts search index rows from a resource with the search parameters HAPI FHIR defines for
 * its type (R4 SearchParameter expressions, evaluated with HAPI's FHIRPath engine).
 */
public final class SearchIndexer {

    private static final Logger LOG = Logger.getLogger(SearchIndexer.class.getName());
    /** resolve() needs a resolver the index does not have; the type filter is applied to the reference instead. */
    private static final Pattern RESOLVE = Pattern.compile("\\.where\\(resolve\\(\\) is [A-Za-z]+\\)");
    private static final Map<String, Boolean> BROKEN = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> PARTS = new ConcurrentHashMap<>();
    /** Parameters of every resource that live in meta and are indexed like any other (_id and _lastUpdated are columns). */
    private static final java.util.Set<String> META_PARAMS = java.util.Set.of("_tag", "_profile", "_security");
    /** Suffix of the index parameter holding identifiers by their type, for :of-type (type system, "type code|value"). */
    public static final String OF_TYPE = ":of-type";

    static final Instant BEGINNING_OF_TIME = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

    private SearchIndexer() {
    }

    public static List<IndexRow> extract(IBaseResource resource) {
        RuntimeResourceDefinition definition = Fhir.r4().getResourceDefinition(resource);
        IFhirPath fhirPath = Fhir.fhirPath();
        List<IndexRow> rows = new ArrayList<>();
        for (RuntimeSearchParam param : definition.getSearchParams()) {
            String path = param.getPath();
            if (path == null || path.isBlank() || param.getName().startsWith("_") && !META_PARAMS.contains(param.getName())) {
                continue;
            }
            // R4 writes the parameters shared by all resources on "Resource."; the engine wants the actual type
            String typed = path.startsWith("Resource.") ? definition.getName() + path.substring("Resource".length()) : path;
            for (String expression : PARTS.computeIfAbsent(definition.getName() + "." + param.getName(), k -> parts(typed))) {
                if (BROKEN.containsKey(expression)) {
                    continue;
                }
                try {
                    for (IBase value : fhirPath.evaluate(resource, expression, IBase.class)) {
                        add(rows, param, value);
                    }
                } catch (FhirException refused) {
                    throw refused; // a value the index cannot hold: the write is refused, the expression is fine
                } catch (RuntimeException e) {
                    // HAPI's engine has no terminology or structure definitions: a few type tests fail; that part is skipped
                    BROKEN.put(expression, true);
                    LOG.log(Level.INFO, "Search parameter " + param.getName() + " part " + expression + " is not indexed: " + e.getMessage());
                }
            }
        }
        return rows;
    }

    /** The alternatives of an expression (a | b | c), each evaluated on its own, without resolve(). */
    static List<String> parts(String path) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == '|' && depth == 0) {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        return parts.stream().map(p -> RESOLVE.matcher(p.trim()).replaceAll("")).filter(p -> !p.isEmpty()).toList();
    }

    private static void add(List<IndexRow> rows, RuntimeSearchParam param, IBase value) {
        String name = param.getName();
        switch (param.getParamType()) {
            case STRING -> strings(value).forEach(s -> rows.add(new IndexRow.StringValue(name, Normalizer.normalize(s), Normalizer.truncate(s))));
            case TOKEN -> tokens(name, value, rows);
            case REFERENCE -> reference(name, value, rows);
            case DATE -> date(name, value, rows);
            case NUMBER -> number(name, value, rows);
            case QUANTITY -> quantity(name, value, rows);
            case URI -> {
                if (value instanceof UriType uri && uri.getValue() != null) {
                    rows.add(new IndexRow.Uri(name, uri.getValue()));
                }
            }
            default -> {
                // composite and special parameters are not indexed (and not advertised)
            }
        }
    }

    private static List<String> strings(IBase value) {
        List<String> out = new ArrayList<>();
        if (value instanceof HumanName name) {
            addIfPresent(out, name.getFamily());
            name.getGiven().forEach(g -> addIfPresent(out, g.getValue()));
            name.getPrefix().forEach(p -> addIfPresent(out, p.getValue()));
            name.getSuffix().forEach(p -> addIfPresent(out, p.getValue()));
            addIfPresent(out, name.getText());
        } else if (value instanceof Address address) {
            address.getLine().forEach(l -> addIfPresent(out, l.getValue()));
            addIfPresent(out, address.getCity());
            addIfPresent(out, address.getDistrict());
            addIfPresent(out, address.getState());
            addIfPresent(out, address.getPostalCode());
            addIfPresent(out, address.getCountry());
            addIfPresent(out, address.getText());
        } else if (value instanceof PrimitiveType<?> primitive) {
            addIfPresent(out, primitive.getValueAsString());
        }
        return out;
    }

    private static void addIfPresent(List<String> out, String value) {
        if (value != null && !value.isBlank()) {
            out.add(value);
        }
    }

    private static void tokens(String name, IBase value, List<IndexRow> rows) {
        if (value instanceof CodeableConcept concept) {
            for (Coding coding : concept.getCoding()) {
                String text = concept.hasText() ? concept.getText() : coding.getDisplay();
                token(rows, name, coding.getSystem(), coding.getCode(), text);
            }
            if (concept.getCoding().isEmpty() && concept.hasText()) {
                rows.add(new IndexRow.Token(name, null, null, Normalizer.normalize(concept.getText())));
            }
        } else if (value instanceof Coding coding) {
            token(rows, name, coding.getSystem(), coding.getCode(), coding.getDisplay());
        } else if (value instanceof Identifier identifier) {
            token(rows, name, identifier.getSystem(), identifier.getValue());
            if (identifier.hasValue()) {
                for (Coding type : identifier.getType().getCoding()) {
                    if (type.hasCode()) {
                        token(rows, name + OF_TYPE, type.getSystem(), type.getCode() + "|" + identifier.getValue());
                    }
                }
            }
        } else if (value instanceof ContactPoint contact) {
            token(rows, name, contact.hasSystem() ? contact.getSystem().toCode() : null, contact.getValue());
        } else if (value instanceof Enumeration<?> enumeration) {
            token(rows, name, enumeration.getSystem(), enumeration.getValueAsString());
        } else if (value instanceof BooleanType bool) {
            token(rows, name, null, bool.getValueAsString());
        } else if (value instanceof PrimitiveType<?> primitive) {
            token(rows, name, null, primitive.getValueAsString());
        }
    }

    private static void token(List<IndexRow> rows, String name, String system, String code) {
        token(rows, name, system, code, null);
    }

    private static void token(List<IndexRow> rows, String name, String system, String code, String text) {
        if (code != null && !code.isBlank() || system != null && !system.isBlank()) {
            rows.add(new IndexRow.Token(name, system, code == null ? null : Normalizer.truncate(code),
                    text == null || text.isBlank() ? null : Normalizer.normalize(text)));
        }
    }

    private static void reference(String name, IBase value, List<IndexRow> rows) {
        if (value instanceof Reference reference) {
            if (reference.getReferenceElement().hasIdPart()) {
                IdType id = new IdType(reference.getReference());
                String url = id.hasBaseUrl() ? id.getValue() : null;
                rows.add(new IndexRow.Reference(name, id.getResourceType(), id.getIdPart(), url));
            }
            if (reference.hasIdentifier()) {
                // for reference:identifier (R4 search.html#reference)
                token(rows, name, reference.getIdentifier().getSystem(), reference.getIdentifier().getValue());
            }
        } else if (value instanceof CanonicalType canonical && canonical.getValue() != null) {
            rows.add(new IndexRow.Reference(name, null, null, canonical.getValue()));
        } else if (value instanceof UriType uri && uri.getValue() != null) {
            rows.add(new IndexRow.Reference(name, null, null, uri.getValue()));
        }
    }

    private static void date(String name, IBase value, List<IndexRow> rows) {
        if (value instanceof BaseDateTimeType date && date.getValue() != null) {
            Instant[] range = range(date);
            rows.add(new IndexRow.DateRange(name, range[0], range[1]));
        } else if (value instanceof Period period && (period.hasStart() || period.hasEnd())) {
            // an open end stands for the beginning or the end of time, so a range search compares plain, indexed columns
            Instant low = period.hasStart() ? range(period.getStartElement())[0] : BEGINNING_OF_TIME;
            Instant high = period.hasEnd() ? range(period.getEndElement())[1] : END_OF_TIME;
            rows.add(new IndexRow.DateRange(name, low, high));
        } else if (value instanceof Timing timing) {
            timing.getEvent().forEach(event -> date(name, event, rows));
        }
    }

    /** The instants a date covers at its precision: 2020 covers the whole year (R4 search.html#date). */
    public static Instant[] range(BaseDateTimeType date) {
        TemporalPrecisionEnum precision = date.getPrecision();
        if (precision.ordinal() <= TemporalPrecisionEnum.DAY.ordinal() && date.getTimeZone() == null || !date.hasTime()) {
            LocalDate start = LocalDate.of(date.getYear(), precision == TemporalPrecisionEnum.YEAR ? 1 : date.getMonth() + 1,
                    precision.ordinal() < TemporalPrecisionEnum.DAY.ordinal() ? 1 : date.getDay());
            ZonedDateTime low = start.atStartOfDay(ZoneOffset.UTC);
            ZonedDateTime high = switch (precision) {
                case YEAR -> low.plusYears(1);
                case MONTH -> low.plusMonths(1);
                default -> low.plusDays(1);
            };
            return new Instant[]{low.toInstant(), high.toInstant().minusMillis(1)};
        }
        Instant low = date.getValue().toInstant();
        ChronoUnit unit = switch (precision) {
            case MINUTE -> ChronoUnit.MINUTES;
            case SECOND -> ChronoUnit.SECONDS;
            default -> ChronoUnit.MILLIS;
        };
        return new Instant[]{low, low.plus(1, unit).minusMillis(1)};
    }

    private static void number(String name, IBase value, List<IndexRow> rows) {
        BigDecimal number = value instanceof DecimalType d ? d.getValue()
                : value instanceof IntegerType i && i.getValue() != null ? BigDecimal.valueOf(i.getValue()) : null;
        if (number != null) {
            BigDecimal[] range = range(name, number);
            rows.add(new IndexRow.Number(name, range[0], range[1], null, null));
        }
    }

    private static void quantity(String name, IBase value, List<IndexRow> rows) {
        if (value instanceof Quantity quantity && quantity.getValue() != null) {
            BigDecimal[] range = range(name, quantity.getValue());
            String code = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
            rows.add(new IndexRow.Number(name, range[0], range[1], quantity.getSystem(), code));
        }
    }

    private static BigDecimal[] range(String name, BigDecimal number) {
        if (!NumberRange.fits(number)) {
            throw new FhirException(422, org.hl7.fhir.r4.model.OperationOutcome.IssueType.TOOCOSTLY, "The value of search parameter "
                    + name + " is out of range: " + NumberRange.LIMIT);
        }
        return NumberRange.of(number);
    }
}
