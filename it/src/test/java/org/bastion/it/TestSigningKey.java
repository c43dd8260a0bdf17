package org.bastion.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The private key the servers under test import on first start (BASTION_SIGNING_KEY_FILE), so
 * tests can sign tokens exactly as Bastion would. Written before any server starts.
 */
public class TestSigningKey implements BeforeAllCallback {

    private static RSAKey key;

    @Override
    public void beforeAll(ExtensionContext context) {
        get();
    }

    public static synchronized RSAKey get() {
        if (key == null) {
            key = loadOrCreate(Path.of(System.getProperty("test.signing.key")));
        }
        return key;
    }

    private static RSAKey loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file));
            }
            RSAKey generated = newKey();
            Files.createDirectories(file.getParent());
            Files.writeString(file, generated.toJSONString());
            return generated;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("Cannot prepare the test signing key " + file, e);
        }
    }

    /** A fresh RSA key with the same shape as Bastion's, for tokens Bastion must not trust. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
