package org.bastion.it;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The Payara WAR on Payara Micro with H2 (port 8280). */
class PayaraMicroIT extends PlatformContract {

    @RegisterExtension
    static final PayaraMicroServer SERVER = new PayaraMicroServer("contract", 8280, true);

    @Override
    String baseUrl() {
        return SERVER.baseUrl();
    }
}
