package org.bastion.fhir.search;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/** Replaces a resource's search index rows with JDBC batches, on the transaction's own connection. */
public final class IndexWriter {

    static final List<String> TABLES = List.of("fhir_idx_string", "fhir_idx_token", "fhir_idx_reference", "fhir_idx_date",
            "fhir_idx_number", "fhir_idx_uri");

    private IndexWriter() {
    }

    public static void replace(Connection connection, long pk, String type, List<IndexRow> rows) throws SQLException {
        for (String table : TABLES) {
            try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where resource_pk = ?")) {
                delete.setLong(1, pk);
                delete.executeUpdate();
            }
        }
        insert(connection, pk, type, rows);
    }

    /** The index rows of a resource that has none yet (just created). */
    public static void insert(Connection connection, long pk, String type, List<IndexRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement strings = connection.prepareStatement(
                "insert into fhir_idx_string (resource_pk, resource_type, param, value_norm, value_exact) values (?, ?, ?, ?, ?)");
             PreparedStatement tokens = connection.prepareStatement(
                     "insert into fhir_idx_token (resource_pk, resource_type, param, token_system, token_code, token_text, patient_id) values (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement references = connection.prepareStatement(
                     "insert into fhir_idx_reference (resource_pk, resource_type, param, target_type, target_id, target_url) values (?, ?, ?, ?, ?, ?)");
             PreparedStatement dates = connection.prepareStatement(
                     "insert into fhir_idx_date (resource_pk, resource_type, param, value_low, value_high, patient_id) values (?, ?, ?, ?, ?, ?)");
             PreparedStatement numbers = connection.prepareStatement(
                     "insert into fhir_idx_number (resource_pk, resource_type, param, value_low, value_high, unit_system, unit_code) values (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement uris = connection.prepareStatement(
                     "insert into fhir_idx_uri (resource_pk, resource_type, param, uri) values (?, ?, ?, ?)")) {
            List<String> patients = patients(rows);
            java.util.Set<PreparedStatement> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (IndexRow row : rows) {
                PreparedStatement statement;
                if (row instanceof IndexRow.StringValue s) {
                    statement = strings;
                    statement.setString(4, s.normalized());
                    statement.setString(5, s.exact());
                } else if (row instanceof IndexRow.Token t) {
                    statement = tokens;
                    statement.setString(4, t.system());
                    statement.setString(5, t.code());
                    statement.setString(6, t.text());
                } else if (row instanceof IndexRow.Reference r) {
                    statement = references;
                    statement.setString(4, r.targetType());
                    statement.setString(5, r.targetId());
                    statement.setString(6, r.url());
                } else if (row instanceof IndexRow.DateRange d) {
                    statement = dates;
                    setInstant(statement, 4, d.low());
                    setInstant(statement, 5, d.high());
                } else if (row instanceof IndexRow.Number n) {
                    statement = numbers;
                    setDecimal(statement, 4, n.low());
                    setDecimal(statement, 5, n.high());
                    statement.setString(6, n.system());
                    statement.setString(7, n.code());
                } else {
                    statement = uris;
                    statement.setString(4, ((IndexRow.Uri) row).uri());
                }
                statement.setLong(1, pk);
                statement.setString(2, type);
                statement.setString(3, row.param());
                if (statement == tokens || statement == dates) {
                    // once for each patient the resource belongs to (V15__patient_keys.sql)
                    int column = statement == tokens ? 7 : 6;
                    for (String patient : patients) {
                        statement.setString(column, patient);
                        statement.addBatch();
                    }
                } else {
                    statement.addBatch();
                }
                used.add(statement);
            }
            for (PreparedStatement statement : List.of(strings, tokens, references, dates, numbers, uris)) {
                if (used.contains(statement)) {
                    statement.executeBatch();
                }
            }
        }
    }

    /**
     * The patients a resource belongs to, as its token and date rows name them (V15__patient_keys.sql):
     * the targets of its "patient" reference; a list of one null when it has none.
     */
    static List<String> patients(List<IndexRow> rows) {
        List<String> patients = new java.util.ArrayList<>();
        for (IndexRow row : rows) {
            if (row instanceof IndexRow.Reference r && "patient".equals(r.param()) && "Patient".equals(r.targetType()) && r.targetId() != null
                    && !patients.contains(r.targetId())) {
                patients.add(r.targetId());
            }
        }
        if (patients.isEmpty()) {
            patients.add(null);
        }
        return patients;
    }

    public static void delete(Connection connection, long pk) throws SQLException {
        replace(connection, pk, null, List.of());
    }

    static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, value.atOffset(java.time.ZoneOffset.UTC));
        }
    }

    private static void setDecimal(PreparedStatement statement, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NUMERIC);
        } else {
            statement.setBigDecimal(index, value);
        }
    }
}
