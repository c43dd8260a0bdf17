package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client nobody here wrote: the certified openid-client library (npm) completes discovery,
 * registration, the code flow with PKCE through the real pages in headless Chromium, refresh
 * rotation, userinfo, introspection, revocation, private_key_jwt and the jwt-bearer grant.
 * The journey is src/test/node/oidc-journey.mjs; screenshots go to target/screenshots/oidc.
 */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class OpenIdClientJourneyIT {

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Test
    void openIdClientCompletesEveryFlowInABrowser() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(CHROMIUM), "This test drives Debian's Chromium: apt-get install chromium");
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), Path.of("target/npm-ci.log")),
                    "npm ci failed; see target/npm-ci.log");
        }
        Path log = Path.of("target/oidc-journey.log");
        int exit = run(List.of("node", "oidc-journey.mjs"), Map.of(
                "BASTION_URL", "http://localhost:8180",
                "BASTION_USERNAME", "admin",
                "BASTION_PASSWORD", OAuthContract.adminPassword(),
                "SCREENSHOT_DIR", Path.of("target/screenshots/oidc").toAbsolutePath().toString()), log);
        String output = Files.readString(log);
        System.out.println(output);
        assertEquals(0, exit, "openid-client journey failed:\n" + output);
        assertTrue(output.contains("\"failed\":[]"), output);
    }

    private static int run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
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
