package org.bastion.oauth.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.ServerMetadataFactory;

/** OpenID Connect discovery (and the same document as RFC 8414 metadata), under the issuer. */
@Path(".well-known")
public class DiscoveryResource {

    @Inject
    ServerMetadataFactory metadata;

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    public String openidConfiguration() {
        return metadata.json();
    }

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    public String authorizationServerMetadata() {
        return openidConfiguration();
    }
}
