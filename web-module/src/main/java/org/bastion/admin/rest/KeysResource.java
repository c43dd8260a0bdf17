package org.bastion.admin.rest;

import com.nimbusds.jose.jwk.JWK;
import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.SigningKeys;

/** The signing keys: which are published, which one signs, and rotation. */
@Path("keys")
public class KeysResource {

    @EJB
    SigningKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        String signing = keys.signingKey().getKeyID();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (JWK key : keys.keyRing().keys()) {
            list.add(Json.createObjectBuilder().add("kid", key.getKeyID()).add("kty", key.getKeyType().getValue())
                    .add("signing", key.getKeyID().equals(signing)));
        }
        return Json.createObjectBuilder().add("algorithm", keys.signingAlgorithm().getName()).add("keys", list).build().toString();
    }

    @POST
    @Path("{kid}/retire")
    public jakarta.ws.rs.core.Response retire(@jakarta.ws.rs.PathParam("kid") String kid) {
        keys.retire(kid);
        return jakarta.ws.rs.core.Response.noContent().build();
    }

    @POST
    @Path("rotate")
    @Produces(MediaType.APPLICATION_JSON)
    public String rotate() {
        return Json.createObjectBuilder().add("kid", keys.rotate().getKeyID()).build().toString();
    }
}
