package org.bastion.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** This server's node name (WildFly's jboss.node.name, Payara's instance name), else the host's: who holds a lease or runs a job. */
public final class NodeName {

    private static final String NAME = find();

    private NodeName() {
    }

    public static String get() {
        return NAME;
    }

    private static String find() {
        for (String property : List.of("jboss.node.name", "com.sun.aas.instanceName")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                return value.length() > 200 ? value.substring(0, 200) : value;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
