package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.MultivaluedMapUtils;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import net.minidev.json.JSONObject;
import org.bastion.audit.application.AuditTrail;
import org.bastion.audit.domain.AuditRecord;
import org.bastion.platform.BastionSettings;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.TokenEndpoint;

/** The token endpoint (RFC 6749 §3.2). */
@Path("token")
public class TokenResource {

    @EJB
    TokenEndpoint endpoint;

    @EJB
    AuditTrail auditTrail;

    @Inject
    BastionSettings settings;

    @Inject
    org.bastion.platform.rest.RequestMetrics metrics;

    @Context
    HttpServletRequest servletRequest;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(String form) throws OAuthException {
        if (settings.audit() && auditTrail.unavailable().isPresent()) {
            // nothing is issued that the audit trail cannot record
            throw new OAuthException(new ErrorObject("temporarily_unavailable", "Temporarily unavailable", 503),
                    "The audit trail cannot record token requests now (" + auditTrail.unavailable().get() + "); retry shortly");
        }
        HTTPRequest http = NimbusRequests.post(uri.getRequestUri(), headers, form);
        Map<String, List<String>> params = URLUtils.parseParameters(http.getBody());
        String grantType = MultivaluedMapUtils.getFirstValue(params, "grant_type");
        AuditRecord record = new AuditRecord(Instant.now(), AuditRecord.Category.TOKEN, "token", "POST", "/oauth2/token",
                grantType == null ? null : "grant_type=" + grantType);
        try {
            TokenRequest request = NimbusRequests.tokenRequest(http);
            String clientId = request.getClientAuthentication() != null ? request.getClientAuthentication().getClientID().getValue()
                    : request.getClientID() != null ? request.getClientID().getValue() : null;
            record.who(null, clientId, null, remoteAddress());
            JSONObject issued = endpoint.token(request).toJSONObject();
            metrics.tokenIssued(request.getAuthorizationGrant().getType().getValue());
            JWTClaimsSet claims = claims(issued);
            // a public client's refresh may name no client: the token issued does
            String client = clientId != null || claims == null ? clientId : (String) claims.getClaim("client_id");
            audit(record.who(claims == null ? null : claims.getSubject(), client, settings.issuer(), remoteAddress())
                    .token(claims == null ? null : claims.getJWTID()).outcome(200, "issued scope " + issued.get("scope")));
            return OAuthResponses.ok(issued);
        } catch (OAuthException e) {
            if (record.clientId() == null) {
                record.who(null, MultivaluedMapUtils.getFirstValue(params, "client_id"), null, remoteAddress());
            }
            audit(record.outcome(e.error().getHTTPStatusCode(), e.getMessage()));
            throw e;
        }
    }

    private void audit(AuditRecord record) {
        if (settings.audit()) {
            auditTrail.record(record);
        }
    }

    private String remoteAddress() {
        return servletRequest == null ? null : servletRequest.getRemoteAddr();
    }

    /** The claims of the issued access token (Bastion's own JWT), for the audit trail. */
    private static JWTClaimsSet claims(JSONObject issued) {
        try {
            return SignedJWT.parse((String) issued.get("access_token")).getJWTClaimsSet();
        } catch (java.text.ParseException | RuntimeException e) {
            return null;
        }
    }
}
