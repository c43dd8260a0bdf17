package org.bastion.oauth.domain;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.bastion.platform.KeyEncryption;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningKeyTest {

    private static final byte[] KEK_A = KeyEncryption.decode("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "KEK_A");
    private static final byte[] KEK_B = KeyEncryption.decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "KEK_B");

    private final ECKey jwk = generate();

    @Test
    void theDatabaseColumnHoldsTheKeySealed() throws Exception {
        SigningKey key = new SigningKey(jwk, JWSAlgorithm.ES256, Instant.EPOCH, new KeyEncryption(KEK_A, Optional.empty()));

        String stored = stored(key);
        assertTrue(stored.startsWith("enc:v1:72cd6e84:"), stored);
        assertFalse(stored.contains("\"d\""), stored);
    }

    @Test
    void aKeyInTheClearFromAnEarlierVersionIsSealedOnce() throws Exception {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());
        SigningKey key = new SigningKey(jwk, JWSAlgorithm.ES256, Instant.EPOCH, encryption);
        store(key, jwk.toJSONString());

        assertTrue(key.reseal(encryption));
        assertFalse(key.reseal(encryption));
        assertTrue(stored(key).startsWith("enc:v1:72cd6e84:"), stored(key));
        assertEquals(jwk, key.privateJwk(encryption));
    }

    @Test
    void rotationSealsAgainUnderTheNewKeySoThePreviousCanGo() {
        SigningKey key = new SigningKey(jwk, JWSAlgorithm.ES256, Instant.EPOCH, new KeyEncryption(KEK_A, Optional.empty()));

        assertTrue(key.reseal(new KeyEncryption(KEK_B, Optional.of(KEK_A))));

        assertEquals(jwk, key.privateJwk(new KeyEncryption(KEK_B, Optional.empty())));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> key.privateJwk(new KeyEncryption(KEK_A, Optional.empty())));
        assertTrue(e.getMessage().startsWith("Private key " + jwk.getKeyID() + " is sealed with key-encryption key 630dcd29,"), e.getMessage());
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stored(SigningKey key) throws ReflectiveOperationException {
        return (String) column().get(key);
    }

    /** What a version before sealing wrote. */
    private static void store(SigningKey key, String value) throws ReflectiveOperationException {
        column().set(key, value);
    }

    private static Field column() throws NoSuchFieldException {
        Field field = SigningKey.class.getDeclaredField("sealedJwk");
        field.setAccessible(true);
        return field;
    }
}
