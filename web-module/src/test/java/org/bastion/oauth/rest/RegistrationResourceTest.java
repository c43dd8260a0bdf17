package org.bastion.oauth.rest;

import org.bastion.oauth.application.OAuthException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RegistrationResourceTest {

    @Test
    void metadataIsParsedFromTheBody() throws OAuthException {
        assertEquals(Set.of(URI.create("https://app.example.org/callback")),
                RegistrationResource.metadata("{\"redirect_uris\":[\"https://app.example.org/callback\"]}").getRedirectionURIs());
    }

    @Test
    void aRedirectUriThatIsNoUriIsRefused() {
        OAuthException e = assertThrows(OAuthException.class,
                () -> RegistrationResource.metadata("{\"redirect_uris\":[\"https://app.example.org/cb x\"]}"));
        assertEquals("invalid_redirect_uri", e.error().getCode());
    }

    @Test
    void aRedirectUriThatIsNoUriAndNotAsciiIsInvalidClientMetadata() {
        for (String uri : new String[]{"https://app.example.org/cb\u00ff x", "https://app.example.org/caf\u00e9 x"}) {
            OAuthException e = assertThrows(OAuthException.class, () -> RegistrationResource.metadata("{\"redirect_uris\":[\"" + uri + "\"]}"),
                    uri);
            assertEquals("invalid_client_metadata", e.error().getCode(), uri);
            assertEquals(400, e.error().getHTTPStatusCode(), uri);
        }
    }

    @Test
    void aNullInAListOfUrisIsInvalidClientMetadata() {
        for (String field : new String[]{"redirect_uris", "post_logout_redirect_uris", "request_uris"}) {
            OAuthException e = assertThrows(OAuthException.class,
                    () -> RegistrationResource.metadata("{\"" + field + "\":[\"https://app.example.org/cb\",null]}"), field);
            assertEquals(400, e.error().getHTTPStatusCode(), field);
        }
    }
}
