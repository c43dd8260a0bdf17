package org.bastion.oauth.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.ServerMetadataFactory;

/** RFC 8414 §3: metadata of issuer http://host/oauth2 lives at http://host/.well-known/oauth-authorization-server/oauth2. */
@Path("")
public class RootWellKnownResource {

    @Inject
    ServerMetadataFactory metadata;

    @GET
    @Path("oauth-authorization-server/oauth2")
    @Produces(MediaType.APPLICATION_JSON)
    public String authorizationServerMetadata() {
        return metadata.json();
    }
}
