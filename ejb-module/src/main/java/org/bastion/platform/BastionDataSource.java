package org.bastion.platform;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.util.List;

/**
 * The one datasource, named jdbc/bastion. WildFly binds datasources under java:/, Payara
 * binds resources by their bare name; persistence.xml resolves the same way on each.
 */
public final class BastionDataSource {

    private static final List<String> NAMES = List.of("java:/jdbc/bastion", "jdbc/bastion");

    private BastionDataSource() {
    }

    public static DataSource lookup() {
        NamingException last = null;
        for (String name : NAMES) {
            try {
                return (DataSource) new InitialContext().lookup(name);
            } catch (NamingException e) {
                last = e;
            }
        }
        throw new IllegalStateException("No datasource bound as jdbc/bastion: apply server-config first", last);
    }
}
