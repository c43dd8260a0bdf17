package org.bastion.oauth.application;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void generatedKeyIsAPrivateRsa2048Rs256KeyNamedByItsThumbprint() throws Exception {
        JWK key = SigningKeys.generateRsaKey();

        RSAKey rsa = assertInstanceOf(RSAKey.class, key);
        assertTrue(rsa.isPrivate());
        assertEquals(2048, rsa.size());
        assertEquals(JWSAlgorithm.RS256, rsa.getAlgorithm());
        assertEquals(rsa.computeThumbprint().toString(), rsa.getKeyID());
    }

    @Test
    void keyFileWithoutKidGetsItsThumbprintAsKid() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        Path file = Files.writeString(dir.resolve("key.json"), new JWKSet(ec).toString(false));

        JWK read = SigningKeys.readKeyFile(file);

        assertTrue(read.isPrivate());
        assertEquals(ec.computeThumbprint().toString(), read.getKeyID());
    }

    @Test
    void keyFileKeepsTheKidItNames() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ops-2026").generate();
        Path file = Files.writeString(dir.resolve("key.json"), ec.toJSONString());

        assertEquals("ops-2026", SigningKeys.readKeyFile(file).getKeyID());
    }

    @Test
    void keyFileWithOnlyAPublicKeyIsRefusedWithAReason() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        Path file = Files.writeString(dir.resolve("public.json"), ec.toPublicJWK().toJSONString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SigningKeys.readKeyFile(file));
        assertTrue(e.getMessage().contains("holds no private key"), e.getMessage());
    }

    @Test
    void unreadableKeyFilesAreRefusedWithAReason() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{not json");
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"keys\":[]}");
        Path missing = dir.resolve("missing.json");

        for (Path file : new Path[]{garbage, empty, missing}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SigningKeys.readKeyFile(file));
            assertTrue(e.getMessage().contains("is not a readable JWK"), e.getMessage());
        }
    }
}
