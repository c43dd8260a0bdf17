package org.bastion.it;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.text.ParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First start with nothing configured: Bastion generates its key and the admin's password;
 * a restart on the same data keeps both. Payara Micro, port 8480.
 */
class KeyPersistenceIT {

    private final PayaraMicroServer server = new PayaraMicroServer("first-start", 8480, false);

    @Test
    void generatedKeyAndAdminSurviveARestart() throws Exception {
        server.start();
        String firstKid;
        try {
            firstKid = onlyKid();
            assertNotEquals(TestSigningKey.get().getKeyID(), firstKid, "no key file was given, so the key is generated");
        } finally {
            server.stop();
        }
        String firstLog = Files.readString(server.log(1));
        assertTrue(firstLog.contains("Signing key " + firstKid + " generated"), "first start generates the key");
        assertTrue(firstLog.contains("Bootstrap admin 'admin' created with generated password: "), "the password is printed once");
        assertTrue(Files.exists(server.dataDir().resolve("bastion.mv.db")), "H2 keeps its file in BASTION_DATA_DIR");

        server.start();
        try {
            assertEquals(firstKid, onlyKid(), "a restart keeps the same key");
        } finally {
            server.stop();
        }
        String secondLog = Files.readString(server.log(2));
        assertFalse(secondLog.contains("generated password"), "the admin is created once, and its password shown once");
        assertFalse(secondLog.contains("Signing key"), "no second key on restart");
    }

    private String onlyKid() throws ParseException {
        HttpResponse<String> response = Http.get(server.baseUrl() + "/oauth2/jwks");
        assertEquals(200, response.statusCode(), response.body());
        JWKSet jwks = JWKSet.parse(response.body());
        assertEquals(1, jwks.getKeys().size());
        return jwks.getKeys().get(0).getKeyID();
    }
}
