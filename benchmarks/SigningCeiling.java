import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The RS256 signing ceiling of this machine: SHA256withRSA signatures per second with an RSA-2048
 * key, on as many threads as there are cores, the JDK's default provider (the one the server signs
 * its access tokens with). No token can be issued faster than its signature is made.
 *   java benchmarks/SigningCeiling.java [SECONDS]   (default 5; one second of warm-up before)
 * Prints one line: "signatures/s N".
 */
public class SigningCeiling {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = Runtime.getRuntime().availableProcessors();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        // About the size of a JWS signing input of an access token (header.payload, base64url).
        byte[] input = "eyJraWQiOiJiZW5jaCIsImFsZyI6IlJTMjU2In0.".concat("x".repeat(600)).getBytes();

        LongAdder signed = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                try {
                    Signature signature = Signature.getInstance("SHA256withRSA");
                    while (running.get()) {
                        signature.initSign(key.getPrivate());
                        signature.update(input);
                        signature.sign();
                        if (counting.get()) {
                            signed.increment();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[i].start();
        }
        Thread.sleep(1000);
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        counting.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("signatures/s %.0f (%d threads, %d s)%n", signed.sum() / elapsed, threads, seconds);
    }
}
