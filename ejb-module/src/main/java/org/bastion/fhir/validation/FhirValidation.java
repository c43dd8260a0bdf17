package org.bastion.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Validation of resources with HAPI FHIR's instance validator: the R4 base definitions (structure,
 * cardinality, invariants, bindings to the value sets and code systems it knows), and the
 * StructureDefinitions, ValueSets and CodeSystems of the packages an admin loaded. Codes of code
 * systems it does not know (LOINC, SNOMED CT, …) are a warning, not an error: there is no
 * terminology server behind it.
 * <p>
 * The validator is built on first use (the R4 definitions take a few seconds and about 100 MB)
 * and again when the loaded packages change, which each node notices within 5 s.
 * <p>
 * Validation on write (setting validation_on_write, BASTION_VALIDATION_ON_WRITE): {@code off} (the
 * default), {@code profiles} (resources that declare a profile in meta.profile), {@code all}, or a
 * comma-separated list of resource types. A write with errors is refused with 422 and the
 * OperationOutcome of the validation.
 */
@ApplicationScoped
public class FhirValidation {

    static final long RECHECK_MS = 5_000;
    private static final Logger LOG = Logger.getLogger(FhirValidation.class.getName());

    @Inject
    BastionSettings settings;

    @EJB
    ValidationPackages packages;

    private DefaultProfileValidationSupport base;
    private volatile Engine engine;
    private volatile long checkedAt;

    private record Engine(String generation, FhirValidator validator, ValidationSupportChain chain) {
    }

    /** What validation on write asks for: off, profiles, all, or types. */
    public record OnWrite(String mode, Set<String> types) {

        public static OnWrite parse(String value) {
            String v = value == null ? "off" : value.trim();
            if (v.isEmpty() || v.equalsIgnoreCase("off")) {
                return new OnWrite("off", Set.of());
            }
            if (v.equalsIgnoreCase("profiles") || v.equalsIgnoreCase("all")) {
                return new OnWrite(v.toLowerCase(Locale.ROOT), Set.of());
            }
            Set<String> types = Arrays.stream(v.split(",")).map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
            if (types.isEmpty() || !types.stream().allMatch(Fhir::isResourceType)) {
                throw new IllegalArgumentException("off, profiles, all, or comma-separated R4 resource types (Patient,Observation)");
            }
            return new OnWrite("types", types);
        }

        boolean applies(Resource resource) {
            return switch (mode) {
                case "all" -> true;
                case "profiles" -> resource.getMeta().hasProfile();
                case "types" -> types.contains(resource.fhirType());
                default -> false;
            };
        }
    }

    /** After a package change commits on this node, the next validation looks at the packages again. */
    void packagesChanged(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                         ValidationPackages.Changed change) {
        checkedAt = 0;
    }

    /** Validates a resource against the base definitions, its declared profiles and these: the outcome, every issue with its FHIRPath. */
    public OperationOutcome validate(Resource resource, List<String> profiles) {
        Engine current = engine();
        for (String profile : profiles) {
            if (current.chain().fetchStructureDefinition(profile) == null) {
                throw new FhirException(400, IssueType.NOTFOUND, "Profile '" + profile + "' is not known to this server: it is neither an R4"
                        + " definition nor in a package an admin loaded (GET /admin/api/packages)");
            }
        }
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        ValidationResult result = current.validator().validateWithResult(resource, options);
        return outcome(result.getMessages());
    }

    /** Refuses a write (422) whose resource has errors, when validation on write applies to it. */
    public void onWrite(Resource resource) {
        String configured = settings.value("bastion.validation.on.write").orElse("off");
        OnWrite policy;
        try {
            policy = OnWrite.parse(configured);
        } catch (IllegalArgumentException e) {
            // a misconfigured environment refuses writes rather than storing them unchecked
            throw new FhirException(500, IssueType.EXCEPTION, "BASTION_VALIDATION_ON_WRITE is '" + configured + "', which is not " + e.getMessage()
                    + ": an admin must correct it (or set validation_on_write in the console); nothing was stored");
        }
        if (!policy.applies(resource)) {
            return;
        }
        List<String> undeclarable = new ArrayList<>();
        for (CanonicalType profile : resource.getMeta().getProfile()) {
            if (profile.getValue() != null && engine().chain().fetchStructureDefinition(profile.getValue()) == null) {
                undeclarable.add(profile.getValue());
            }
        }
        if (!undeclarable.isEmpty()) {
            throw new FhirException(422, IssueType.PROCESSING, "This " + resource.fhirType() + " declares the profile " + undeclarable
                    + ", which this server does not know, so it cannot check it; an admin loads the package that defines it"
                    + " (POST /admin/api/packages); nothing was stored");
        }
        OperationOutcome outcome = validate(resource, List.of());
        List<OperationOutcome.OperationOutcomeIssueComponent> errors = outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL).toList();
        if (!errors.isEmpty()) {
            String first = errors.get(0).getDiagnostics() + (errors.get(0).hasExpression() ? " (at " + errors.get(0).getExpression().get(0) + ")" : "");
            String summary = "This " + resource.fhirType() + " is not valid (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s")
                    + "; validation on write is " + policy.mode() + "): " + first + "; nothing was stored";
            outcome.getIssue().add(0, new OperationOutcome.OperationOutcomeIssueComponent().setSeverity(IssueSeverity.ERROR)
                    .setCode(IssueType.PROCESSING).setDiagnostics(summary));
            throw new FhirException(422, IssueType.PROCESSING, summary, outcome);
        }
    }

    private static OperationOutcome outcome(List<SingleValidationMessage> messages) {
        OperationOutcome outcome = new OperationOutcome();
        for (SingleValidationMessage message : messages) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(severity(message.getSeverity()))
                    .setCode(message.getSeverity() == ResultSeverityEnum.INFORMATION ? IssueType.INFORMATIONAL : IssueType.PROCESSING)
                    .setDiagnostics(message.getMessage());
            if (message.getLocationString() != null) {
                issue.addExpression(message.getLocationString());
                issue.addLocation(message.getLocationString());
            }
        }
        if (outcome.getIssue().stream().noneMatch(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)) {
            outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("No errors: the resource is valid" + (messages.isEmpty() ? "" : " (see the warnings and notes above)"));
        }
        return outcome;
    }

    private static IssueSeverity severity(ResultSeverityEnum severity) {
        return switch (severity) {
            case FATAL -> IssueSeverity.FATAL;
            case ERROR -> IssueSeverity.ERROR;
            case WARNING -> IssueSeverity.WARNING;
            default -> IssueSeverity.INFORMATION;
        };
    }

    private Engine engine() {
        Engine current = engine;
        long now = System.currentTimeMillis();
        if (current != null && now - checkedAt < RECHECK_MS) {
            return current;
        }
        String generation = packages.generation();
        checkedAt = now;
        if (current != null && current.generation().equals(generation)) {
            return current;
        }
        synchronized (this) {
            if (engine == null || !engine.generation().equals(generation)) {
                engine = build(generation);
            }
            return engine;
        }
    }

    private Engine build(String generation) {
        long started = System.nanoTime();
        FhirContext context = Fhir.r4();
        if (base == null) {
            base = new DefaultProfileValidationSupport(context);
        }
        PrePopulatedValidationSupport loaded = new PrePopulatedValidationSupport(context);
        int count = 0;
        for (ConformanceResource resource : packages.resources()) {
            loaded.addResource(context.newJsonParser().parseResource(resource.body()));
            count++;
        }
        ValidationSupportChain chain = new ValidationSupportChain(base, loaded, new SnapshotGeneratingValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context), new InMemoryTerminologyServerValidationSupport(context),
                new UnknownCodeSystemWarningValidationSupport(context));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setErrorForUnknownProfiles(true);
        // best-practice recommendations (dom-6: "a resource should have narrative", …) are not rules: not checked
        module.setBestPracticeWarningLevel(org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel.Ignore);
        FhirValidator validator = context.newValidator();
        validator.setValidateAgainstStandardSchema(false);
        validator.setValidateAgainstStandardSchematron(false);
        validator.registerValidatorModule(module);
        String ready = "Validator ready with the R4 definitions and " + packages.list().size() + " loaded package(s), "
                + "conformance resources: " + count + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)";
        LOG.info(ready);
        return new Engine(generation, validator, chain);
    }
}
