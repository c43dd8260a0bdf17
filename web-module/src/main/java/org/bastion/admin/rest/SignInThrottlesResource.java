package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.identity.application.SignInThrottle;
import org.bastion.platform.InvalidInputException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** Sign-in throttling as an admin sees it: which account names and addresses failed lately and must wait, and lifting a wait. */
@Tag(name = "Sign-in throttling", description = "Failed sign-ins per account name and source address, and the waits they caused")
@Path("sign-in-throttles")
public class SignInThrottlesResource {

    @EJB
    SignInThrottle throttle;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List throttled account names and addresses",
            description = "Keys user:<name> and ip:<address> with failures in the last 15 minutes, newest first: failures, last_failure, and blocked_until while a wait is on.")
    @APIResponse(responseCode = "200", description = "The keys")
    public String list() {
        Instant now = Instant.now();
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (SignInThrottle.Entry entry : throttle.current(now, 500)) {
            JsonObjectBuilder item = Json.createObjectBuilder().add("key", entry.key()).add("failures", entry.failures())
                    .add("last_failure", entry.lastFailure().toString())
                    .add("waiting", entry.blockedUntil() != null && entry.blockedUntil().isAfter(now));
            if (entry.blockedUntil() != null) {
                item.add("blocked_until", entry.blockedUntil().toString());
            }
            list.add(item);
        }
        return list.build().toString();
    }

    @DELETE
    @Operation(summary = "Lift a throttle", description = "Forgets the failures of one key (user:<name> or ip:<address>), so it may try at once.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response lift(@QueryParam("key") String key) {
        if (key == null || !(key.startsWith("user:") || key.startsWith("ip:")) || key.length() > 300) {
            throw new InvalidInputException("key", "must be user:<name> or ip:<address>, as the list shows it");
        }
        return throttle.lift(key) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No failed sign-ins recorded for " + key);
    }
}
