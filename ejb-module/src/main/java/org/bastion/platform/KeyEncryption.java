package org.bastion.platform;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Seals the private keys kept in the database with AES-256-GCM under a key-encryption key (KEK)
 * that lives outside it, so that the database, or a copy of it, does not give them away. A sealed
 * value is {@code enc:v1:<KEK fingerprint>:<IV>:<ciphertext and tag>} (base64url); its
 * authenticated data is the key's kid, so a value copied onto another key's row does not open.
 */
public final class KeyEncryption {

    private static final Logger LOG = Logger.getLogger(KeyEncryption.class.getName());
    private static final String PREFIX = "enc:v1:";
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Kek current;
    private final Optional<Kek> previous;

    public KeyEncryption(byte[] current, Optional<byte[]> previous) {
        this.current = new Kek(current);
        this.previous = previous.map(Kek::new);
    }

    /** From BASTION_KEY_ENCRYPTION_KEY(_FILE), else the key generated under the data directory; and the previous one. */
    public static KeyEncryption configured(BastionSettings settings) {
        byte[] current = configuredKey(settings.keyEncryptionKey(), settings.keyEncryptionKeyFile(), "BASTION_KEY_ENCRYPTION_KEY")
                .orElseGet(() -> generatedKey(settings.generatedKeyEncryptionKeyFile()));
        Optional<byte[]> previous = configuredKey(settings.previousKeyEncryptionKey(), settings.previousKeyEncryptionKeyFile(),
                "BASTION_KEY_ENCRYPTION_KEY_PREVIOUS");
        KeyEncryption encryption = new KeyEncryption(current, previous);
        LOG.info(() -> "Private keys are sealed with key-encryption key " + encryption.currentId()
                + encryption.previous.map(p -> " (previous key " + p.id() + " still opens them)").orElse(""));
        return encryption;
    }

    /** The fingerprint of the current KEK: the first 8 hex digits of its SHA-256. */
    public String currentId() {
        return current.id();
    }

    /** Whether the value is sealed, rather than a JWK in the clear as versions before sealing stored it. */
    public static boolean sealed(String stored) {
        return stored.startsWith("enc:");
    }

    public boolean sealedWithCurrent(String stored) {
        return stored.startsWith(PREFIX + current.id() + ":");
    }

    public String seal(String kid, String plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, current, iv, kid, plaintext.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return PREFIX + current.id() + ":" + base64.encodeToString(iv) + ":" + base64.encodeToString(ciphertext);
    }

    /** The plaintext of a sealed value; refuses a value in the clear, under an unknown KEK, or altered. */
    public String open(String kid, String stored) {
        String[] parts = stored.split(":", -1);
        if (parts.length != 5 || !(parts[0] + ":" + parts[1] + ":").equals(PREFIX)) {
            throw new IllegalStateException("Private key " + kid + " is not sealed in the enc:v1 form");
        }
        List<Kek> candidates = (previous.isPresent() ? List.of(current, previous.get()) : List.of(current)).stream()
                .filter(k -> k.id().equals(parts[2])).toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Private key " + kid + " is sealed with key-encryption key " + parts[2]
                    + ", but the configured key is " + current.id() + previous.map(p -> " (previous: " + p.id() + ")").orElse("")
                    + ": set BASTION_KEY_ENCRYPTION_KEY, or BASTION_KEY_ENCRYPTION_KEY_PREVIOUS while rotating, to the key with fingerprint "
                    + parts[2]);
        }
        byte[] iv;
        byte[] ciphertext;
        try {
            iv = Base64.getUrlDecoder().decode(parts[3]);
            ciphertext = Base64.getUrlDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            throw altered(kid, parts[2]);
        }
        for (Kek kek : candidates) {
            try {
                return new String(cipher(Cipher.DECRYPT_MODE, kek, iv, kid, ciphertext), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // the tag did not verify: try a previous KEK whose fingerprint happens to be the same
            }
        }
        throw altered(kid, parts[2]);
    }

    private static IllegalStateException altered(String kid, String kekId) {
        return new IllegalStateException("Private key " + kid + " fails its integrity check under key-encryption key " + kekId
                + ": the stored value was altered, or belongs to another key");
    }

    /** Encrypts or decrypts; an IllegalArgumentException when the authentication tag (or the IV) is wrong. */
    private static byte[] cipher(int mode, Kek kek, byte[] iv, String kid, byte[] input) {
        if (iv.length != IV_BYTES) {
            throw new IllegalArgumentException("IV of " + iv.length + " bytes");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(kek.key(), "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("Authentication tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    public static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A KEK from its base64 text (openssl rand -base64 32); the setting's name goes into the error, never the value. */
    public static byte[] decode(String base64, String setting) {
        byte[] key;
        try {
            String text = base64.strip();
            key = text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(setting + " is not base64 (make one with: openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException(setting + " must be the base64 of " + KEY_BYTES + " random bytes (openssl rand -base64 32), not of "
                    + key.length);
        }
        return key;
    }

    public static byte[] readKeyFile(Path file, String setting) {
        try {
            return decode(Files.readString(file, StandardCharsets.US_ASCII), setting + " (" + file + ")");
        } catch (IOException e) {
            throw new IllegalStateException(setting + " names " + file + ", which cannot be read: " + e, e);
        }
    }

    /**
     * The KEK in this file, generated on first start: readable by its owner only where the file
     * system has POSIX permissions, and written whole before it takes the file's name.
     */
    public static byte[] generatedKey(Path file) {
        if (Files.exists(file)) {
            return readKeyFile(file, "The generated key-encryption key");
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        try {
            Path directory = Files.createDirectories(file.toAbsolutePath().getParent());
            Path written = directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(directory, ".kek", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : ownerOnly(Files.createTempFile(directory, ".kek", ".tmp"));
            Files.writeString(written, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(written, file);
            } catch (FileAlreadyExistsException e) {
                // another node sharing this directory was first: use its key
                Files.delete(written);
                return readKeyFile(file, "The generated key-encryption key");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a key-encryption key to " + file
                    + ": set BASTION_KEY_ENCRYPTION_KEY or BASTION_KEY_ENCRYPTION_KEY_FILE, or BASTION_DATA_DIR to a writable directory", e);
        }
        LOG.warning(() -> "Key-encryption key " + fingerprint(key) + " generated in " + file.toAbsolutePath()
                + ": the private signing keys in the database cannot be read without it; back it up apart from the database");
        return key;
    }

    private static Path ownerOnly(Path file) {
        java.io.File f = file.toFile();
        boolean restricted = f.setReadable(false, false) & f.setReadable(true, true)
                & f.setWritable(false, false) & f.setWritable(true, true);
        if (!restricted) {
            LOG.warning(() -> "Cannot make " + file + " readable by its owner only: restrict it by hand");
        }
        return file;
    }

    private static Optional<byte[]> configuredKey(Optional<String> value, Optional<Path> file, String setting) {
        if (value.isPresent() && file.isPresent()) {
            throw new IllegalStateException("Set " + setting + " or " + setting + "_FILE, not both");
        }
        return value.isPresent() ? Optional.of(decode(value.get(), setting)) : file.map(f -> readKeyFile(f, setting + "_FILE"));
    }

    private record Kek(String id, byte[] key) {

        Kek(byte[] key) {
            this(fingerprint(key), key.clone());
        }

        Kek {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("A key-encryption key has " + KEY_BYTES + " bytes, not " + key.length);
            }
        }
    }
}
