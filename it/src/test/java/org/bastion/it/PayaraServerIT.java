package org.bastion.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/**
 * The EAR on Payara Server 6 configured by server-config/payara (hibernate-libs.sh, bastion.asadmin,
 * H2), http 8680 (the domain takes ports 8600-8686): the platform contract as on WildFly and Payara
 * Micro, and acknowledged writes through a SIGKILL of the server JVM (CrashWorkload; the same H2
 * settings serve Payara Micro).
 */
class PayaraServerIT extends PlatformContract implements BatchRuntimeContract {

    @RegisterExtension
    static final PayaraServer SERVER = new PayaraServer("contract", 8680, true);

    @Override
    String baseUrl() {
        return SERVER.baseUrl();
    }

    @Override
    public String batchBaseUrl() {
        return baseUrl();
    }

    @Test
    void everyAcknowledgedWriteSurvivesAKillOfTheServer() throws Exception {
        CrashWorkload.Result result = new CrashWorkload(new CrashWorkload.Server() {
            @Override
            public String baseUrl() {
                return SERVER.baseUrl();
            }

            @Override
            public void kill() {
                SERVER.kill();
            }

            @Override
            public Duration start() throws Exception {
                return SERVER.start();
            }
        }, 6, CrashWorkload.load(Duration.ofSeconds(6))).run();
        System.out.println("Payara Server + H2 crash: " + result);
    }
}
