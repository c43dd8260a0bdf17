package org.bastion.admin.rest;

import com.nimbusds.jose.jwk.JWK;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.identity.application.ExternalIssuers;
import org.bastion.identity.domain.ExternalIssuer;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.InvalidInputException;
import org.bastion.smart.application.TokenPolicies;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/**
 * Trusted external issuers (an Okta-like IdP whose access tokens the FHIR API accepts):
 * register by discovery URL, list, remove; and test a pasted token — would the FHIR API accept
 * it, and if not, why.
 */
@Tag(name = "External issuers", description = "Identity providers whose access tokens the FHIR API accepts")
@Path("issuers")
public class IssuersResource {

    @EJB
    ExternalIssuers issuers;

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    TokenPolicies policies;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register an external issuer", description = "By its discovery URL: the metadata and keys are fetched and shown.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "Issuer")))
    @APIResponse(responseCode = "201", description = "The issuer and the keys fetched", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Issuer")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response register(String body) {
        JsonObject json = AdminJson.object(body);
        ExternalIssuers.Registered registered = issuers.register(AdminJson.string(json, "discovery_url"), AdminJson.string(json, "audience"),
                AdminJson.string(json, "user_claim"), AdminJson.string(json, "patient_claim"));
        JsonArrayBuilder keys = Json.createArrayBuilder();
        for (JWK key : registered.keys().getKeys()) {
            JsonObjectBuilder k = Json.createObjectBuilder().add("kty", key.getKeyType().getValue());
            if (key.getKeyID() != null) {
                k.add("kid", key.getKeyID());
            }
            if (key.getAlgorithm() != null) {
                k.add("alg", key.getAlgorithm().getName());
            }
            keys.add(k);
        }
        return Response.status(201).entity(describe(registered.issuer()).add("keys", keys).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List external issuers")
    @APIResponse(responseCode = "200", description = "The issuers", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Issuers")))
    public String list() {
        JsonArrayBuilder all = Json.createArrayBuilder();
        issuers.list().forEach(i -> all.add(describe(i)));
        return all.build().toString();
    }

    @DELETE
    @Operation(summary = "Remove an external issuer", description = "Its tokens are refused from then on.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@QueryParam("issuer") String issuer) {
        if (issuer == null || issuer.isBlank()) {
            throw new InvalidInputException("issuer", "is required: the issuer URL to remove, as a query parameter");
        }
        if (!issuers.delete(issuer)) {
            return AdminErrors.error(404, "not_found", "No external issuer " + issuer + " is registered");
        }
        return Response.noContent().build();
    }

    /** Would the FHIR API accept this token? The verdict, and the reason or what the token grants. */
    @POST
    @Path("test")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Would the FHIR API accept this token?", description = "Body {\"token\": \"...\"}: a token of this server or of a registered issuer; the answer says why not, or what it grants.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "TokenVerdict")))
    @APIResponse(responseCode = "200", description = "The verdict", content = @Content(mediaType = "application/json", schema = @Schema(ref = "TokenVerdict")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String test(String body) {
        String token = AdminJson.string(AdminJson.object(body), "token");
        if (token == null || token.isBlank()) {
            throw new InvalidInputException("token", "is required: paste the access token (without 'Bearer ')");
        }
        JsonObjectBuilder verdict = Json.createObjectBuilder();
        try {
            VerifiedAccessToken verified = verifier.verifyForFhir(token.trim());
            policies.policy(verified, verified.issuedHere());
            verdict.add("accepted", true).add("issuer", verified.claims().getIssuer()).add("subject", String.valueOf(verified.getName()));
            JsonArrayBuilder scopes = Json.createArrayBuilder();
            verified.scopes().forEach(scopes::add);
            verdict.add("scopes", scopes);
            if (verified.patient() != null) {
                verdict.add("patient", verified.patient());
            }
            if (verified.fhirUser() != null) {
                verdict.add("fhirUser", verified.fhirUser());
            }
        } catch (InvalidTokenException e) {
            verdict.add("accepted", false).add("reason", e.getMessage());
        }
        return verdict.build().toString();
    }

    private static JsonObjectBuilder describe(ExternalIssuer issuer) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("issuer", issuer.issuer()).add("discovery_url", issuer.discoveryUrl())
                .add("jwks_uri", issuer.jwksUri()).add("user_claim", issuer.userClaim()).add("patient_claim", issuer.patientClaim())
                .add("enabled", issuer.enabled()).add("created_at", issuer.createdAt().toString());
        if (issuer.audience() != null) {
            json.add("audience", issuer.audience());
        }
        return json;
    }

}
