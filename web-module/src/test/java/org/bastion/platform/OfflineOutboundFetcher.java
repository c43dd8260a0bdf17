package org.bastion.platform;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OutboundFetcher's checks without DNS, for tests that must not reach the network: a URL whose
 * host is an address literal is checked as in production; one that names its host is refused as
 * a name that does not resolve would be. No origins are exempt.
 */
public class OfflineOutboundFetcher extends OutboundFetcher {

    private static final Pattern ADDRESS_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[.*]");

    public OfflineOutboundFetcher() {
        settings = new BastionSettings() {
            @Override
            public Set<String> outboundAllowedOrigins() {
                return Set.of();
            }
        };
    }

    @Override
    public void check(String url) throws Refused {
        if (namesItsHost(url)) {
            throw new Refused("'" + url + "' could not be fetched or used", "host not looked up: no DNS in tests");
        }
        super.check(url);
    }

    private static boolean namesItsHost(String url) {
        try {
            String host = url == null ? null : new URI(url).getHost();
            return host != null && !ADDRESS_LITERAL.matcher(host).matches();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
