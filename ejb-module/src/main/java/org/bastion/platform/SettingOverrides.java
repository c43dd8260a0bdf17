package org.bastion.platform;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Settings an admin changed at run time, kept in the database so every node sees them: read
 * again at most every 5 s (at once on the node that wrote them). Before the schema exists (the
 * first moments of a first start) there are none.
 */
@ApplicationScoped
public class SettingOverrides {

    private static final Logger LOG = Logger.getLogger(SettingOverrides.class.getName());
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private volatile Map<String, String> values = Map.of();
    private volatile Instant read = Instant.EPOCH;

    public Optional<String> get(String name) {
        if (read.plus(MAX_AGE).isBefore(Instant.now())) {
            reload();
        }
        return Optional.ofNullable(values.get(name));
    }

    public void put(String name, String value, String by) {
        try (Connection connection = BastionDataSource.lookup().getConnection()) {
            try (PreparedStatement delete = connection.prepareStatement("delete from server_setting where name = ?")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into server_setting (name, setting_value, updated_at, updated_by) values (?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, value);
                insert.setTimestamp(3, Timestamp.from(Instant.now()));
                insert.setString(4, by);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store setting " + name + ": " + e.getMessage(), e);
        }
        reload();
    }

    private void reload() {
        Map<String, String> loaded = new HashMap<>();
        try (Connection connection = BastionDataSource.lookup().getConnection();
             PreparedStatement select = connection.prepareStatement("select name, setting_value from server_setting");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                loaded.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "No run-time settings read (the schema may not exist yet)", e);
        }
        values = Map.copyOf(loaded);
        read = Instant.now();
    }
}
