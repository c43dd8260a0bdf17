package org.bastion.oauth.application;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import org.bastion.oauth.domain.ClientNames;
import org.bastion.oauth.rest.RegistrationResource;
import org.bastion.platform.OfflineOutboundFetcher;

import java.nio.charset.StandardCharsets;

/**
 * Fuzzes client registration (RFC 7591) as far as it goes without a database (docs/testing.md):
 * a request body becomes client metadata, parsed as the registration and admin endpoints parse it
 * (RegistrationResource, with Nimbus), which Bastion validates, or it is refused with an
 * OAuthException (invalid_client_metadata, invalid_redirect_uri); nothing else escapes. Metadata
 * that passes must read back from the JSON it is stored as, or the client would break on its next
 * use. An input is the request body. It sits in web-module, where bodies are parsed, and in
 * ClientRegistry's package, whose validation it calls.
 */
class ClientMetadataFuzzTest {

    private final ClientRegistry registry = new ClientRegistry();

    ClientMetadataFuzzTest() {
        registry.fetcher = new OfflineOutboundFetcher();
    }

    @DictionaryEntries({"\"redirect_uris\"", "\"token_endpoint_auth_method\"", "\"grant_types\"", "\"response_types\"", "\"jwks\"",
            "\"jwks_uri\"", "\"client_name\"", "\"client_name#de\"", "\"scope\"", "\"post_logout_redirect_uris\"",
            "\"bastion_cors_origins\"", "\"bastion_access_token_lifetime\"", "\"private_key_jwt\"", "\"client_secret_basic\"",
            "\"none\"", "\"authorization_code\"", "\"client_credentials\"", "\"urn:ietf:params:oauth:grant-type:jwt-bearer\"",
            "\"https://", "\"http://localhost", "\"http://127.0.0.1", "\"https://[::1]", "\"kty\"", "\"EC\"", "\"RSA\"", "\"d\""})
    @FuzzTest
    void anyBodyIsValidMetadataOrARefusal(byte[] input) {
        OIDCClientMetadata metadata;
        try {
            metadata = registry.validate(RegistrationResource.metadata(new String(input, StandardCharsets.UTF_8)));
        } catch (OAuthException e) {
            return;
        }
        for (String name : metadata.getNameEntries().values()) {
            ClientNames.imitation(name);
        }
        ClientRegistry.accessTokenLifetime(metadata);
        ClientRegistry.corsOrigins(metadata);
        String stored = metadata.toJSONObject().toJSONString();
        try {
            OIDCClientMetadata.parse(JSONObjectUtils.parse(stored));
        } catch (ParseException e) {
            throw new AssertionError("Accepted metadata does not read back from its stored form " + stored, e);
        }
    }
}
