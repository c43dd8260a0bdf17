package org.bastion.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The release version, written into the build by Maven resource filtering. */
public final class BastionVersion {

    public static final String VALUE = load();

    private BastionVersion() {
    }

    private static String load() {
        try (InputStream in = BastionVersion.class.getResourceAsStream("/bastion-version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
