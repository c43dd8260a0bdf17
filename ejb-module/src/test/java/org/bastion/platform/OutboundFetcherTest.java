package org.bastion.platform;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundFetcherTest {

    private static boolean isPublic(String literal) throws UnknownHostException {
        return OutboundFetcher.isPublic(InetAddress.getByName(literal));
    }

    @Test
    void addressesAnAttackerWouldAimAtAreNotPublic() throws UnknownHostException {
        for (String address : new String[]{"127.0.0.1", "127.5.5.5", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "169.254.169.254", "100.64.0.1", "100.127.255.254", "192.0.0.8", "198.18.0.1", "224.0.0.1", "240.0.0.1", "255.255.255.255",
                "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1"}) {
            assertFalse(isPublic(address), address);
        }
    }

    @Test
    void publicAddressesArePublic() throws UnknownHostException {
        for (String address : new String[]{"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"}) {
            assertTrue(isPublic(address), address);
        }
    }

    @Test
    void originsAreNormalizedAndAnythingElseIsLeftOut() {
        assertEquals(Set.of("https://idp.example.org:443", "http://127.0.0.1:8081"),
                OutboundFetcher.origins(" https://IdP.example.org , http://127.0.0.1:8081/, https://idp.example.org/path, not a url, "));
        assertEquals(Set.of(), OutboundFetcher.origins(""));
    }
}
