package org.bastion.oauth.rest;

import org.bastion.platform.rest.BearerCredentials;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.minidev.json.JSONObject;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.util.Date;
import java.util.Optional;

/** Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). */
@Path("register")
public class RegistrationResource {

    private static final int MAX_METADATA_LENGTH = 64 * 1024;

    @EJB
    ClientRegistry registry;

    @Inject
    BastionSettings settings;

    @Context
    HttpHeaders headers;

    @Inject
    org.bastion.audit.rest.AuditNote audit;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(String body) throws OAuthException {
        String token = null;
        if (!settings.registrationOpen()) {
            token = BearerCredentials.token(headers.getHeaderString(HttpHeaders.AUTHORIZATION)).orElseThrow(() ->
                    OAuthException.invalidToken("Registration needs an initial access token from an admin, sent as "
                            + "Authorization: Bearer (open registration is off; BASTION_REGISTRATION=open turns it on for development)"));
        }
        ClientRegistry.Registered registered = registry.registerSelf(metadata(body), token, settings.registrationOpen());
        audit.client(registered.client().clientId()).detail("registered " + registered.client().name());
        return OAuthResponses.json(201, information(registered, true));
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("clientId") String clientId) throws OAuthException {
        OAuthClient client = authorized(clientId);
        return OAuthResponses.ok(information(new ClientRegistry.Registered(client, null, null), false));
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("clientId") String clientId, String body) throws OAuthException {
        OAuthClient client = authorized(clientId);
        JSONObject json = json(body);
        Object sentId = json.remove("client_id");
        if (sentId != null && !clientId.equals(sentId)) {
            throw OAuthException.invalidClientMetadata("client_id in the body must be " + clientId + " (RFC 7592 §2.2)");
        }
        json.remove("client_secret");
        json.remove("registration_access_token");
        json.remove("registration_client_uri");
        json.remove("client_id_issued_at");
        json.remove("client_secret_expires_at");
        return OAuthResponses.ok(information(registry.update(client, parse(json)), false));
    }

    @DELETE
    @Path("{clientId}")
    public Response delete(@PathParam("clientId") String clientId) throws OAuthException {
        registry.delete(authorized(clientId));
        return Response.noContent().build();
    }

    /** RFC 7592 §3: the registration access token must be this client's; otherwise 401, whether the client exists or not. */
    private OAuthClient authorized(String clientId) throws OAuthException {
        String token = BearerCredentials.token(headers.getHeaderString(HttpHeaders.AUTHORIZATION)).orElseThrow(() ->
                OAuthException.invalidToken("Send the registration access token from the registration response as Authorization: Bearer"));
        Optional<OAuthClient> client = registry.byRegistrationToken(clientId, token);
        audit.client(clientId).detail(client.isPresent() ? null : "registration access token not valid for this client");
        return client.orElseThrow(() -> OAuthException.invalidToken("The registration access token is not valid for client " + clientId));
    }

    private JSONObject information(ClientRegistry.Registered registered, boolean created) {
        OAuthClient client = registered.client();
        URI uri = URI.create(settings.issuer() + "/register/" + client.clientId());
        OIDCClientInformation information = new OIDCClientInformation(new ClientID(client.clientId()),
                Date.from(client.createdAt()), client.metadata(),
                registered.secret() == null ? null : new Secret(registered.secret()),
                uri, registered.registrationToken() == null ? null : new BearerAccessToken(registered.registrationToken()));
        JSONObject json = information.toJSONObject();
        if (registered.secret() != null) {
            json.put("client_secret_expires_at", 0);
        }
        return json;
    }

    /** Client metadata (RFC 7591 §2) from a request body, or invalid_client_metadata saying what is wrong. */
    public static OIDCClientMetadata metadata(String body) throws OAuthException {
        return parse(json(body));
    }

    private static JSONObject json(String body) throws OAuthException {
        if (body == null || body.isBlank()) {
            throw OAuthException.invalidClientMetadata("The body must be a JSON object of client metadata (RFC 7591 §2)");
        }
        if (body.length() > MAX_METADATA_LENGTH) {
            throw OAuthException.invalidClientMetadata("Client metadata is larger than " + MAX_METADATA_LENGTH + " characters");
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw OAuthException.invalidClientMetadata("The body is not a JSON object: " + e.getMessage());
        }
    }

    private static OIDCClientMetadata parse(JSONObject json) throws OAuthException {
        try {
            return OIDCClientMetadata.parse(json);
        } catch (ParseException e) {
            throw new OAuthException(e.getErrorObject() != null ? e.getErrorObject() : RegistrationError.INVALID_CLIENT_METADATA,
                    e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            // Nimbus cannot build its own error when the value it quotes is not printable ASCII (RFC 6749 §5.2),
            // e.g. a redirect_uris entry that is no URI and holds a non-ASCII character, and fails on a null in a list of URIs
            throw OAuthException.invalidClientMetadata("The client metadata holds a value that is not valid, such as a null in a list"
                    + " or a redirect URI with characters a URI cannot have");
        }
    }
}
