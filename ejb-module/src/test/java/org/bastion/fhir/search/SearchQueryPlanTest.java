package org.bastion.fhir.search;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.bastion.fhir.application.Fhir;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The search SQL on a real PostgreSQL and on H2 (the embedded default), both with the schema of
 * the migrations and 14 000 indexed resources laid out as a loader writes them (each patient
 * followed by its observations, so every type is spread over the whole key range). An indexed
 * search must be led by an index lookup whose cost follows its result: the rows the database
 * touches (PostgreSQL's buffers, H2's scan counts) stay within a bound far below the table's
 * size, where walking the resource table in key order and testing each row, as searches once
 * did, touches thousands. The plans are written to target/query-plans.txt.
 */
class SearchQueryPlanTest {

    private static final int PATIENTS = 2000;
    private static final int OBSERVATIONS_EACH = 6;
    /** The observations of the patient "big", of BIG_CODES codes over ten years. */
    private static final int BIG_RECORD = 3000;
    private static final int BIG_CODES = 30;
    /** Rows (H2) or 8 kB pages (PostgreSQL) a selective search may touch: a patient's data is a few dozen. */
    private static final long SELECTIVE = 250;
    private static EmbeddedPostgres postgres;
    private static org.h2.jdbcx.JdbcDataSource h2;
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void loadIndexedData() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:plans;DB_CLOSE_DELAY=-1");
        List<Resource> resources = new ArrayList<>();
        for (int p = 0; p < PATIENTS; p++) {
            Patient patient = new Patient();
            patient.setId("p" + p);
            patient.addName().setFamily(p % 100 == 0 ? "Yamada" : "Family" + p).addGiven("Given" + p);
            patient.addIdentifier().setSystem("urn:mrn").setValue("MRN" + p);
            patient.setGender(p % 2 == 0 ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
            patient.setBirthDateElement(new DateType(String.format("%d-%02d-%02d", 1930 + p % 80, 1 + p % 12, 1 + p % 28)));
            resources.add(patient);
            for (int o = 0; o < OBSERVATIONS_EACH; o++) {
                Observation observation = new Observation();
                observation.setId("o" + p + "-" + o);
                observation.setStatus(Observation.ObservationStatus.FINAL);
                observation.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                        .setCode(o < 3 ? "vital-signs" : "laboratory");
                observation.getCode().addCoding().setSystem("http://loinc.org").setCode(o == 0 ? "8480-6" : "loinc-" + (p % 300) + "-" + o);
                observation.setSubject(new Reference("Patient/p" + p));
                observation.setEffective(new DateTimeType(String.format("20%02d-%02d-%02dT10:00:00Z", p % 25, 1 + o, 1 + p % 28)));
                observation.setValue(new Quantity().setValue(new BigDecimal(90 + (p * 7 + o) % 120)).setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
                resources.add(observation);
            }
        }
        // one patient with a long record, as Synthea's are: the searches for one of its codes must not read all of it
        Patient big = new Patient();
        big.setId("big");
        big.addName().setFamily("Long");
        resources.add(big);
        for (int o = 0; o < BIG_RECORD; o++) {
            Observation observation = new Observation();
            observation.setId("big-" + o);
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                    .setCode(o % 2 == 0 ? "vital-signs" : "laboratory");
            observation.getCode().addCoding().setSystem("http://loinc.org").setCode("big-" + (o % BIG_CODES));
            observation.setSubject(new Reference("Patient/big"));
            observation.setEffective(new DateTimeType(String.format("%d-%02d-%02dT10:00:00Z", 2010 + o % 10, 1 + o % 12, 1 + o % 28)));
            resources.add(observation);
        }
        // an appointment of two patients is found under each
        org.hl7.fhir.r4.model.Appointment appointment = new org.hl7.fhir.r4.model.Appointment();
        appointment.setId("a1");
        appointment.setStatus(org.hl7.fhir.r4.model.Appointment.AppointmentStatus.BOOKED);
        appointment.addServiceType().addCoding().setSystem("urn:service").setCode("family-visit");
        appointment.addParticipant().setActor(new Reference("Patient/big"));
        appointment.addParticipant().setActor(new Reference("Patient/p3"));
        resources.add(appointment);
        for (javax.sql.DataSource database : List.of(postgres.getPostgresDatabase(), h2)) {
            org.bastion.platform.Migrations.migrate(database);
            try (Connection connection = database.getConnection()) {
                connection.setAutoCommit(false);
                long pk = 0;
                try (PreparedStatement insert = connection.prepareStatement("insert into fhir_resource (pk, resource_type, resource_id, "
                        + "version_id, last_updated, deleted, body) values (?, ?, ?, 1, ?, false, ?)")) {
                    for (Resource resource : resources) {
                        store(connection, insert, ++pk, resource);
                    }
                }
                connection.commit();
                try (Statement analyze = connection.createStatement()) {
                    analyze.execute("analyze");
                }
                connection.commit();
            }
        }
    }

    private static void store(Connection connection, PreparedStatement insert, long pk, Resource resource) throws SQLException {
        String type = resource.fhirType();
        insert.setLong(1, pk);
        insert.setString(2, type);
        insert.setString(3, resource.getIdElement().getIdPart());
        insert.setObject(4, OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(pk));
        insert.setString(5, Fhir.r4().newJsonParser().encodeResourceToString(resource));
        insert.executeUpdate();
        IndexWriter.insert(connection, pk, type, SearchIndexer.extract(resource));
    }

    @AfterAll
    static void stop() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "query-plans.txt"), REPORT);
        postgres.close();
    }

    /**
     * Runs a search's first page on both databases: checks its plan for scans of whole tables and
     * what it touched against the bound, and answers its number of matches (the same on both).
     */
    private static long plan(String type, String query, java.util.function.Supplier<SearchQuery> search, long bound) throws SQLException {
        long pg = plan(postgres.getPostgresDatabase(), "explain (analyze, buffers) ", type, query, search.get(), bound);
        long embedded = plan(h2, "explain analyze ", type, query, search.get(), bound);
        assertEquals(pg, embedded, "GET " + type + "?" + query + ": PostgreSQL and H2 disagree");
        return pg;
    }

    private static long plan(javax.sql.DataSource database, String explain, String type, String query, SearchQuery search, long bound)
            throws SQLException {
        try (Connection connection = database.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            List<Object> args = new ArrayList<>(search.keysetArgs());
            String sql = search.keyset() ? search.keysetSql(false, false) : search.pageSql();
            if (!search.keyset()) {
                args = new ArrayList<>(search.pageArgs());
                args.add(0);
            }
            args.add(21);
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement statement = connection.prepareStatement(explain + sql)) {
                for (int i = 0; i < args.size(); i++) {
                    statement.setObject(i + 1, args.get(i));
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            long touched = touched(product, plan.toString());
            REPORT.append(product).append(": GET ").append(type).append('?').append(query).append(" touched ").append(touched)
                    .append('\n').append(plan).append('\n');
            assertFalse(plan.toString().contains("Seq Scan") || plan.toString().contains("tableScan"),
                    product + ": GET " + type + "?" + query + " scans a table:\n" + plan);
            assertTrue(touched <= bound, product + ": GET " + type + "?" + query + " touched " + touched + " (bound " + bound + "):\n" + plan);
            try (PreparedStatement count = connection.prepareStatement(search.countSql())) {
                List<Object> countArgs = search.args();
                for (int i = 0; i < countArgs.size(); i++) {
                    count.setObject(i + 1, countArgs.get(i));
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }
    }

    /** PostgreSQL: the pages the whole plan touched (its top node's buffers); H2: the rows all its table accesses scanned. */
    static long touched(String product, String plan) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(product.startsWith("Postgre")
                ? "Buffers: shared(?: hit=(\\d+))?(?: read=(\\d+))?" : "scanCount: (\\d+)()").matcher(plan);
        long total = 0;
        while (m.find()) {
            total += (m.group(1) == null ? 0 : Long.parseLong(m.group(1))) + (m.group(2) == null || m.group(2).isEmpty() ? 0 : Long.parseLong(m.group(2)));
            if (product.startsWith("Postgre")) {
                break;
            }
        }
        return total;
    }

    private static long plan(String type, String query, long bound) throws SQLException {
        return plan(type, query, () -> new SearchQuery(type, params(query), other -> new org.bastion.smart.domain.AccessPolicy.Restriction(
                List.of(new org.bastion.smart.domain.AccessPolicy.Alternative(null, null)))), bound);
    }

    /** As a system/ token sees it: chains and _has reach every resource. */
    private static long plan(String type, String query) throws SQLException {
        return plan(type, query, SELECTIVE);
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        return params;
    }

    /** How many of the generated patients satisfy a condition on their number. */
    private static long count(java.util.function.IntPredicate condition) {
        return java.util.stream.IntStream.range(0, PATIENTS).filter(condition).count();
    }

    @Test
    void tokenStringAndIdSearchesAreIndexLookups() throws SQLException {
        assertEquals(1L, plan("Patient", "identifier=urn:mrn|MRN1234"));
        assertEquals(PATIENTS / 100L, plan("Patient", "name=yamada"));
        assertEquals(PATIENTS / 100L, plan("Patient", "family:exact=Yamada"));
        assertEquals(1L, plan("Patient", "_id=p77"));
        assertEquals(3L, plan("Patient", "_id=p77,p78,p1999"));
        assertEquals(count(p -> p % 80 == 5 && p % 12 == 5 && p % 28 == 5), plan("Patient", "birthdate=1935-06-06&gender=male"));
    }

    @Test
    void aPatientsObservationsAreFoundThroughThePatient() throws SQLException {
        assertEquals(1L, plan("Observation", "subject=Patient/p42&code=http://loinc.org|8480-6"));
        assertEquals(1L, plan("Observation", "patient=p42&code=http://loinc.org|8480-6"));
        assertEquals((long) OBSERVATIONS_EACH, plan("Observation", "patient=Patient/p42"));
        assertEquals(2L, plan("Observation", "patient=p42&date=ge2017-02-01&date=lt2017-04-01"));
        assertEquals(3L, plan("Observation", "patient=p42&category=vital-signs&_sort=-date"));
        assertEquals(1L, plan("Observation", "patient=p1999&code=loinc-199-2&_lastUpdated=gt2025-12-31"));
    }

    /**
     * A patient with 3 000 observations: one code's 100 are found among that patient's rows of that
     * code (V15__patient_keys.sql), not by testing each of the 3 000 (which touches over 6 000 rows on H2 and
     * 18 000 pages on PostgreSQL): a few rows or pages for each match.
     */
    @Test
    void aLongRecordIsSearchedByItsPatientAndCodeTogether() throws SQLException {
        long ofOneCode = BIG_RECORD / BIG_CODES;
        assertEquals(ofOneCode, plan("Observation", "patient=big&code=http://loinc.org|big-7", 8 * ofOneCode));
        assertEquals(ofOneCode, plan("Observation", "subject=Patient/big&code=big-7", 8 * ofOneCode));
        assertEquals(ofOneCode, plan("Observation", "patient=big&code=http://loinc.org|big-7&_include=Observation:subject", 8 * ofOneCode));
        assertEquals(1L, plan("Appointment", "patient=big&service-type=urn:service|family-visit"));
        assertEquals(1L, plan("Appointment", "patient=p3&service-type=urn:service|family-visit"));
        assertEquals(0L, plan("Appointment", "patient=p4&service-type=urn:service|family-visit"));
        // one year of the ten: led by one bound among the patient's dates (ge2015: half of them), the other checked on
        // those; at most the patient's record, never the table
        long ofOneYear = BIG_RECORD / 10;
        assertEquals(ofOneYear, plan("Observation", "patient=big&date=ge2015-01-01&date=lt2016-01-01", 3L * BIG_RECORD));
    }

    @Test
    void tokenAndDateSearchesAreIndexLookups() throws SQLException {
        // led by the code's index rows, the dates checked on those only
        assertEquals(count(p -> p % 300 == 5), plan("Observation", "code=http://loinc.org|loinc-5-2&date=ge2005-03-02&date=lt2006-01-01"));
        // _lastUpdated is a range of the resource table's own index; the loader wrote one resource a second from 2026-01-01
        long observations = java.util.stream.LongStream.rangeClosed(3600, 3609).filter(pk -> (pk - 1) % (OBSERVATIONS_EACH + 1) != 0).count();
        assertEquals(observations, plan("Observation", "_lastUpdated=ge2026-01-01T01:00:00Z&_lastUpdated=lt2026-01-01T01:00:10Z"));
    }

    @Test
    void aTypesPagesAndABulkExportsPagesReadOnlyTheirOwnRows() throws SQLException {
        // a bulk export's page: the type's resources changed up to the job's start, newest key first; 15 000
        // observations, each page reads its 21 rows (H2 sorted all of them for every page through ix_fhir_resource_updated)
        long observations = (long) PATIENTS * OBSERVATIONS_EACH + BIG_RECORD;
        assertEquals(observations, plan("Observation", "_lastUpdated=le2030-01-01T00:00:00Z"));
        assertEquals(PATIENTS + 1L, plan("Patient", "_lastUpdated=le2030-01-01T00:00:00Z"));
        // a type's resources without a parameter (GET [base]/Observation), page by page
        assertEquals(observations, plan("Observation", "(no parameters)", () -> new SearchQuery("Observation", Map.of(),
                other -> new org.bastion.smart.domain.AccessPolicy.Restriction(List.of(new org.bastion.smart.domain.AccessPolicy.Alternative(null, null)))),
                SELECTIVE));
    }

    @Test
    void chainedAndReverseChainedSearchesUseTheIndexes() throws SQLException {
        assertEquals((long) OBSERVATIONS_EACH, plan("Observation", "subject:Patient.identifier=urn:mrn|MRN17"));
        assertEquals(1L, plan("Patient", "_has:Observation:subject:_id=o9-1"));
    }

    @Test
    void compartmentAndPatientScopedSearchesAreLedByThePatient() throws SQLException {
        assertEquals(1L, plan("Observation", "[Patient/p5 compartment] code=http://loinc.org|8480-6",
                () -> new SearchQuery("Observation", params("code=http://loinc.org|8480-6")).inCompartment("Patient", "p5"), SELECTIVE));
        // a patient/ token's search: only that patient's observations, found through the patient
        assertEquals(3L, plan("Observation", "[patient/Observation.rs for p7] category=vital-signs",
                () -> new SearchQuery("Observation", params("category=vital-signs")).restrict(new org.bastion.smart.domain.AccessPolicy.Restriction(
                        List.of(new org.bastion.smart.domain.AccessPolicy.Alternative("p7", null)))), SELECTIVE));
        assertEquals((long) OBSERVATIONS_EACH, plan("Observation", "[patient/Observation.rs for p7] (no parameters)",
                () -> new SearchQuery("Observation", Map.of()).restrict(new org.bastion.smart.domain.AccessPolicy.Restriction(
                        List.of(new org.bastion.smart.domain.AccessPolicy.Alternative("p7", null)))), SELECTIVE));
    }
}
