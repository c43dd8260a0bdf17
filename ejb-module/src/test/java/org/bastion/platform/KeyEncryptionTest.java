package org.bastion.platform;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyEncryptionTest {

    /** 32 bytes of 0x01; SHA-256 starts 72cd6e84. */
    private static final byte[] KEK_A = KeyEncryption.decode("AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=", "KEK_A");
    /** The bytes 0 to 31; SHA-256 starts 630dcd29. */
    private static final byte[] KEK_B = KeyEncryption.decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "KEK_B");

    private static RSAKey jwk;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        jwk = new RSAKeyGenerator(2048).keyID("kid-1").generate();
    }

    @Test
    void aSealedKeyOpensToTheSameJwk() throws Exception {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());

        String sealed = encryption.seal("kid-1", jwk.toJSONString());

        assertEquals(jwk, JWK.parse(encryption.open("kid-1", sealed)));
        assertTrue(encryption.sealedWithCurrent(sealed));
    }

    @Test
    void theStoredFormNamesItsKeyEncryptionKeyAndHoldsNoJwkMember() {
        String sealed = new KeyEncryption(KEK_A, Optional.empty()).seal("kid-1", jwk.toJSONString());

        assertTrue(sealed.startsWith("enc:v1:72cd6e84:"), sealed);
        assertEquals(5, sealed.split(":").length, sealed);
        assertFalse(sealed.contains("\"d\""), sealed);
        assertFalse(sealed.contains("\"kty\""), sealed);
        assertFalse(sealed.contains(jwk.getPrivateExponent().toString()), sealed);
    }

    @Test
    void eachSealingHasItsOwnIv() {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());

        assertNotEquals(encryption.seal("kid-1", jwk.toJSONString()), encryption.seal("kid-1", jwk.toJSONString()));
    }

    @Test
    void aWrongKeyEncryptionKeyIsRefusedNamingTheOneExpected() {
        String sealed = new KeyEncryption(KEK_A, Optional.empty()).seal("kid-1", jwk.toJSONString());
        KeyEncryption other = new KeyEncryption(KEK_B, Optional.empty());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.open("kid-1", sealed));
        assertEquals("Private key kid-1 is sealed with key-encryption key 72cd6e84, but the configured key is 630dcd29:"
                + " set BASTION_KEY_ENCRYPTION_KEY, or BASTION_KEY_ENCRYPTION_KEY_PREVIOUS while rotating, to the key with fingerprint 72cd6e84",
                e.getMessage());
    }

    @Test
    void whatThePreviousKeySealedStillOpensButIsNotCurrent() throws Exception {
        String sealed = new KeyEncryption(KEK_A, Optional.empty()).seal("kid-1", jwk.toJSONString());
        KeyEncryption rotated = new KeyEncryption(KEK_B, Optional.of(KEK_A));

        assertEquals(jwk, JWK.parse(rotated.open("kid-1", sealed)));
        assertFalse(rotated.sealedWithCurrent(sealed));
        assertTrue(rotated.seal("kid-1", jwk.toJSONString()).startsWith("enc:v1:630dcd29:"));
    }

    @Test
    void alteredCiphertextIsRefused() {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());
        String sealed = encryption.seal("kid-1", jwk.toJSONString());
        int last = sealed.length() - 10;
        String tampered = sealed.substring(0, last) + (sealed.charAt(last) == 'A' ? 'B' : 'A') + sealed.substring(last + 1);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> encryption.open("kid-1", tampered));
        assertEquals("Private key kid-1 fails its integrity check under key-encryption key 72cd6e84:"
                + " the stored value was altered, or belongs to another key", e.getMessage());
    }

    @Test
    void aSealedValueCopiedToAnotherKidIsRefused() {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());
        String sealed = encryption.seal("kid-1", jwk.toJSONString());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> encryption.open("kid-2", sealed));
        assertEquals("Private key kid-2 fails its integrity check under key-encryption key 72cd6e84:"
                + " the stored value was altered, or belongs to another key", e.getMessage());
    }

    @Test
    void aJwkInTheClearIsNotOpened() {
        KeyEncryption encryption = new KeyEncryption(KEK_A, Optional.empty());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> encryption.open("kid-1", jwk.toJSONString()));
        assertEquals("Private key kid-1 is not sealed in the enc:v1 form", e.getMessage());
        assertFalse(KeyEncryption.sealed(jwk.toJSONString()));
    }

    @Test
    void aKeyThatIsNot32BytesOfBase64IsRefusedWithoutShowingIt() {
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> KeyEncryption.decode("c2VjcmV0", "BASTION_KEY_ENCRYPTION_KEY"));
        assertEquals("BASTION_KEY_ENCRYPTION_KEY must be the base64 of 32 random bytes (openssl rand -base64 32), not of 6",
                shortKey.getMessage());

        IllegalStateException notBase64 = assertThrows(IllegalStateException.class,
                () -> KeyEncryption.decode("not base64!", "BASTION_KEY_ENCRYPTION_KEY"));
        assertEquals("BASTION_KEY_ENCRYPTION_KEY is not base64 (make one with: openssl rand -base64 32)", notBase64.getMessage());
    }

    @Test
    void theGeneratedKeyIsOwnerOnlyAndTheSameOnTheNextStart() throws Exception {
        Path file = dir.resolve("data").resolve("key-encryption-key");

        byte[] first = KeyEncryption.generatedKey(file);
        byte[] second = KeyEncryption.generatedKey(file);

        assertEquals(32, first.length);
        assertArrayEquals(first, second);
        assertArrayEquals(first, KeyEncryption.readKeyFile(file, "BASTION_KEY_ENCRYPTION_KEY_FILE"));
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left beside it");
        }
    }
}
