package org.bastion.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The Payara WAR on Payara Micro with H2 (port 8280): the platform contract, and a bulk import and export. */
class PayaraMicroIT extends PlatformContract implements BatchRuntimeContract {

    @RegisterExtension
    static final PayaraMicroServer SERVER = new PayaraMicroServer("contract", 8280, true);

    @Override
    String baseUrl() {
        return SERVER.baseUrl();
    }

    @Override
    public String batchBaseUrl() {
        return baseUrl();
    }
}
