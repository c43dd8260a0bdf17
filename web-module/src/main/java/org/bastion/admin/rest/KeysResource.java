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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signing keys: which are published, which one signs, and rotation. */
@Tag(name = "Signing keys", description = "The keys published at /oauth2/jwks")
@Path("keys")
public class KeysResource {

    @EJB
    SigningKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List signing keys", description = "Which key signs, and the algorithm.")
    @APIResponse(responseCode = "200", description = "The keys", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Keys")))
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
    @Operation(summary = "Retire a key", description = "Removes a key that no longer signs from the JWKS: tokens it signed are refused.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    public jakarta.ws.rs.core.Response retire(@jakarta.ws.rs.PathParam("kid") String kid) {
        keys.retire(kid);
        return jakarta.ws.rs.core.Response.noContent().build();
    }

    @POST
    @Path("rotate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rotate the signing key", description = "A new key signs from now on; the old one stays published until retired.")
    @APIResponse(responseCode = "200", description = "{\"kid\": the new signing key's id}")
    public String rotate() {
        return Json.createObjectBuilder().add("kid", keys.rotate().getKeyID()).build().toString();
    }
}
