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

/**
 * The search SQL on a real PostgreSQL with the schema of the migrations and 12 000 indexed
 * resources: indexed searches are index scans, never a scan of the resource or index tables.
 * The plans are written to target/query-plans.txt.
 */
class SearchQueryPlanTest {

    private static final int PATIENTS = 2000;
    private static final int OBSERVATIONS_EACH = 5;
    private static EmbeddedPostgres postgres;
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void loadIndexedData() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        org.bastion.platform.Migrations.migrate(postgres.getPostgresDatabase());
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.setAutoCommit(false);
            long pk = 0;
            try (PreparedStatement insert = connection.prepareStatement("insert into fhir_resource (pk, resource_type, resource_id, "
                    + "version_id, last_updated, deleted, body) values (?, ?, ?, 1, ?, false, ?)")) {
                for (int p = 0; p < PATIENTS; p++) {
                    Patient patient = new Patient();
                    patient.setId("p" + p);
                    patient.addName().setFamily(p % 100 == 0 ? "Yamada" : "Family" + p).addGiven("Given" + p);
                    patient.addIdentifier().setSystem("urn:mrn").setValue("MRN" + p);
                    patient.setGender(p % 2 == 0 ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
                    patient.setBirthDateElement(new DateType(String.format("%d-%02d-%02d", 1930 + p % 80, 1 + p % 12, 1 + p % 28)));
                    store(connection, insert, ++pk, patient, p);
                    for (int o = 0; o < OBSERVATIONS_EACH; o++) {
                        Observation observation = new Observation();
                        observation.setId("o" + p + "-" + o);
                        observation.setStatus(Observation.ObservationStatus.FINAL);
                        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(o == 0 ? "8480-6" : "loinc-" + (p % 300) + "-" + o);
                        observation.setSubject(new Reference("Patient/p" + p));
                        observation.setEffective(new DateTimeType(String.format("20%02d-%02d-%02dT10:00:00Z", p % 25, 1 + o, 1 + p % 28)));
                        observation.setValue(new Quantity().setValue(new BigDecimal(90 + (p * 7 + o) % 120)).setSystem("http://unitsofmeasure.org").setCode("mm[Hg]"));
                        store(connection, insert, ++pk, observation, p);
                    }
                }
            }
            connection.commit();
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("analyze");
            }
            connection.commit();
        }
    }

    private static void store(Connection connection, PreparedStatement insert, long pk, Resource resource, int p) throws SQLException {
        String type = resource.fhirType();
        insert.setLong(1, pk);
        insert.setString(2, type);
        insert.setString(3, resource.getIdElement().getIdPart());
        insert.setObject(4, OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(pk));
        insert.setString(5, Fhir.r4().newJsonParser().encodeResourceToString(resource));
        insert.executeUpdate();
        IndexWriter.replace(connection, pk, type, SearchIndexer.extract(resource));
    }

    @AfterAll
    static void stop() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "query-plans.txt"), REPORT);
        postgres.close();
    }

    /** The plan of a search's first page, checked for sequential scans, with the number of matches. */
    private static long plan(String type, String query, SearchQuery search) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            List<Object> args = new ArrayList<>(search.args());
            String sql = search.keyset() ? search.keysetSql(false, false) : search.pageSql();
            if (!search.keyset()) {
                args = new ArrayList<>(search.pageArgs());
                args.add(0);
            }
            args.add(21);
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement("explain " + sql)) {
                for (int i = 0; i < args.size(); i++) {
                    explain.setObject(i + 1, args.get(i));
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            }
            REPORT.append("GET ").append(type).append('?').append(query).append('\n').append(plan).append('\n');
            assertFalse(plan.toString().contains("Seq Scan"), "GET " + type + "?" + query + " scans a table:\n" + plan);
            long matches = 0;
            try (PreparedStatement count = connection.prepareStatement(search.countSql())) {
                List<Object> countArgs = search.args();
                for (int i = 0; i < countArgs.size(); i++) {
                    count.setObject(i + 1, countArgs.get(i));
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    matches = rows.getLong(1);
                }
            }
            return matches;
        }
    }

    private static long plan(String type, String query) throws SQLException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
        }
        // as a system/ token sees it: chains and _has reach every resource
        return plan(type, query, new SearchQuery(type, params, other -> new org.bastion.smart.domain.AccessPolicy.Restriction(
                List.of(new org.bastion.smart.domain.AccessPolicy.Alternative(null, null)))));
    }

    /** How many of the generated patients satisfy a condition on their number. */
    private static long count(java.util.function.IntPredicate condition) {
        return java.util.stream.IntStream.range(0, PATIENTS).filter(condition).count();
    }

    @Test
    void tokenStringAndDateSearchesUseTheIndexes() throws SQLException {
        assertEquals(1L, plan("Patient", "identifier=urn:mrn|MRN1234"));
        assertEquals(PATIENTS / 100L, plan("Patient", "name=yamada"));
        assertEquals(PATIENTS / 100L, plan("Patient", "family:exact=Yamada"));
        assertEquals(1L, plan("Patient", "_id=p77"));
        assertEquals(count(p -> p % 80 == 5 && p % 12 == 5 && p % 28 == 5), plan("Patient", "birthdate=1935-06-06"));
        assertEquals(1L, plan("Observation", "subject=Patient/p42&code=http://loinc.org|8480-6"));
        assertEquals(count(p -> p % 25 == 3 && p % 28 == 4), plan("Observation", "date=ge2003-02-05&date=lt2003-02-06"));
    }

    @Test
    void chainedAndReverseChainedSearchesUseTheIndexes() throws SQLException {
        assertEquals((long) OBSERVATIONS_EACH, plan("Observation", "subject:Patient.identifier=urn:mrn|MRN17"));
        assertEquals(1L, plan("Patient", "_has:Observation:subject:_id=o9-1"));
    }

    @Test
    void compartmentSearchUsesTheIndexes() throws SQLException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("code", List.of("http://loinc.org|8480-6"));
        assertEquals(1L, plan("Observation", "[Patient/p5 compartment] code=http://loinc.org|8480-6",
                new SearchQuery("Observation", params).inCompartment("Patient", "p5")));
    }
}
