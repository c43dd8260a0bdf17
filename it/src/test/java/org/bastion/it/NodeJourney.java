package org.bastion.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs one of the browser journeys in src/test/node (Node.js, Playwright, Debian's Chromium)
 * and fails with its output unless every step passed. The npm packages are installed from the
 * lock file on first use, and again when the lock file changes.
 */
final class NodeJourney {

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private NodeJourney() {
    }

    /** Runs script with env, its output in target/<name>.log; asserts that it passed. */
    static void run(String script, String name, Map<String, String> env) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), "This test drives Debian's Chromium: apt-get install chromium");
        Path installed = NODE_DIR.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(NODE_DIR.resolve("package-lock.json"))) < 0) {
            assertEquals(0, exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), Path.of("target/npm-ci.log")),
                    "npm ci failed; see target/npm-ci.log");
        }
        Path log = Path.of("target/" + name + ".log");
        int exit = exec(List.of("node", script), env, log);
        String output = Files.readString(log);
        System.out.println(output);
        assertEquals(0, exit, name + " failed:\n" + output);
        assertTrue(output.contains("\"failed\":[]"), output);
    }

    private static int exec(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(log.toAbsolutePath().toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
