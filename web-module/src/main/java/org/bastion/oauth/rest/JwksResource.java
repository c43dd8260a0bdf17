package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.SigningKeys;

/** The public signing keys (RFC 7517 JWK set), the jwks_uri of the metadata. */
@Path("jwks")
public class JwksResource {

    @EJB
    SigningKeys signingKeys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(signingKeys.keyRing().publicJwkSet().toString()).cacheControl(cache).build();
    }
}
