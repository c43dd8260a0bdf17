package org.bastion.admin.rest;

import org.bastion.admin.application.HousekeepingBusyException;
import org.bastion.oauth.application.OAuthException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bastion.platform.InvalidInputException;

/** Admin API errors as JSON: a machine code, the field when one is at fault, and a sentence to act on. */
@Provider
public class AdminErrors implements ExceptionMapper<InvalidInputException> {

    @Override
    public Response toResponse(InvalidInputException e) {
        org.bastion.platform.rest.RequestMetrics.noteRefusal("invalid_input");
        return build(400, Json.createObjectBuilder().add("error", "invalid_input").add("field", e.field())
                .add("error_description", e.field() + " " + e.reason()));
    }

    static Response error(int status, String code, String description) {
        org.bastion.platform.rest.RequestMetrics.noteRefusal(code);
        return build(status, Json.createObjectBuilder().add("error", code).add("error_description", description));
    }

    static Response unauthorized(String description) {
        return Response.fromResponse(error(401, "invalid_token", description))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\""
                        + OAuthException.printable(description) + "\"")
                .build();
    }

    private static Response build(int status, JsonObjectBuilder body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }

    /** Anything unforeseen: a 500 naming an incident id that the server log has the details under. */
    @Provider
    public static class Unexpected implements ExceptionMapper<Exception> {
        private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Unexpected.class.getName());

        @Override
        public Response toResponse(Exception e) {
            if (e instanceof jakarta.ws.rs.WebApplicationException web) {
                int status = web.getResponse().getStatus();
                return error(status, status == 404 ? "not_found" : "http_" + status, String.valueOf(e.getMessage()));
            }
            String incident = java.util.UUID.randomUUID().toString();
            LOG.log(java.util.logging.Level.SEVERE, "Incident " + incident, e);
            return error(500, "server_error", "Internal error; the server log has the details under incident " + incident);
        }
    }

    /** Client metadata the registry refuses: RFC 7591's error code and description. */
    @Provider
    public static class OAuthRefusal implements ExceptionMapper<OAuthException> {
        @Override
        public Response toResponse(OAuthException e) {
            return error(400, e.error().getCode(), e.error().getDescription());
        }
    }

    /** A housekeeping run asked for while another holds the lease: nothing was deleted, and the answer names that run. */
    @Provider
    public static class HousekeepingRunning implements ExceptionMapper<HousekeepingBusyException> {
        @Override
        public Response toResponse(HousekeepingBusyException e) {
            return error(409, "housekeeping_running", e.getMessage());
        }
    }

    /** A body that is not the JSON object the call expects. */
    @Provider
    public static class InvalidJson implements ExceptionMapper<JsonException> {
        @Override
        public Response toResponse(JsonException e) {
            return error(400, "invalid_input", "The body must be a JSON object: " + e.getMessage());
        }
    }
}
