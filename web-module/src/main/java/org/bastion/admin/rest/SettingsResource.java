package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.oauth.application.SigningKeys;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.InvalidInputException;
import org.bastion.platform.SettingOverrides;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Server settings: each with its value and where it comes from (database: changed here;
 * environment; default). PUT changes those that may change at run time; the public base URL
 * is the environment's (BASTION_BASE_URL), since the issuer and every registered URL follow it.
 */
@Tag(name = "Settings", description = "Server settings")
@Path("settings")
public class SettingsResource {

    /** A setting an admin may change: its JSON field, configuration key, default and what it accepts. */
    record Editable(String field, String key, String fallback, String accepts, java.util.function.Predicate<String> valid) {
    }

    static final List<Editable> EDITABLE = List.of(
            new Editable("token_access_seconds", "bastion.token.access.seconds", "3600", "60 to 86400", range(60, 86_400)),
            new Editable("token_refresh_seconds", "bastion.token.refresh.seconds", "2592000", "300 to 31536000", range(300, 31_536_000)),
            new Editable("token_code_seconds", "bastion.token.code.seconds", "60", "5 to 600", range(5, 600)),
            new Editable("session_seconds", "bastion.session.seconds", "28800", "60 to 604800", range(60, 604_800)),
            new Editable("signing_alg", "bastion.signing.alg", "RS256", "RS256, RS384, RS512 or ES256", List.of("RS256", "RS384", "RS512", "ES256")::contains),
            new Editable("registration", "bastion.registration", "token", "open or token", List.of("open", "token")::contains),
            new Editable("access_token_query", "bastion.access.token.query", "false", "true or false", List.of("true", "false")::contains),
            new Editable("authorize_rate_limit", "bastion.authorize.rate.limit", "60",
                    "0 (no limit) to 100000: authorization requests a browser without a session may start from one address in a minute", range(0, 100_000)),
            new Editable("api_keys", "bastion.api.keys", "off", "on or off: whether the FHIR API accepts API keys (x-api-key) an admin issued",
                    List.of("on", "off")::contains),
            new Editable("api_key_rate_limit", "bastion.api.key.rate.limit", "600", "0 (no limit) to 100000: requests one API key may make in a minute",
                    range(0, 100_000)),
            new Editable("validation_on_write", "bastion.validation.on.write", "off",
                    "off, profiles (resources that declare a profile), all, or comma-separated resource types (Patient,Observation):"
                            + " which writes are validated and refused (422) with errors", SettingsResource::validationOnWrite),
            new Editable("outbound_allowed_origins", "bastion.outbound.allowed.origins", "",
                    "a comma-separated list of at most 20 origins (http or https://host[:port], no path) Bastion may fetch keys and discovery documents from "
                            + "although they are not public https; empty for none", SettingsResource::origins));

    @Inject
    BastionSettings settings;

    private static boolean validationOnWrite(String value) {
        try {
            org.bastion.fhir.validation.FhirValidation.OnWrite.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Inject
    SettingOverrides overrides;

    @EJB
    SigningKeys keys;

    @Context
    SecurityContext security;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the settings")
    @APIResponse(responseCode = "200", ref = "Settings")
    public String read() {
        JsonObjectBuilder json = Json.createObjectBuilder();
        json.add("base_url", Json.createObjectBuilder().add("value", settings.baseUrl()).add("source", settings.source("bastion.base.url"))
                .add("editable", false).add("accepts", "set BASTION_BASE_URL and restart"));
        for (Editable e : EDITABLE) {
            json.add(e.field(), Json.createObjectBuilder().add("value", settings.value(e.key()).orElse(e.fallback()))
                    .add("source", settings.source(e.key())).add("editable", true).add("accepts", e.accepts()));
        }
        return json.build().toString();
    }

    /** Changes the settings named in the body; all are checked before any is stored. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change settings", description = "{field: value} for any editable settings; all are checked before any is stored.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "Settings")))
    @APIResponse(responseCode = "200", ref = "Settings")
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String update(String body) {
        JsonObject json = AdminJson.object(body);
        Map<Editable, String> changes = new LinkedHashMap<>();
        for (String field : json.keySet()) {
            Editable editable = EDITABLE.stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow(() ->
                    new InvalidInputException(field, field.equals("base_url") ? "is set by BASTION_BASE_URL at start, not here"
                            : "is not a setting; settings are " + EDITABLE.stream().map(Editable::field).toList()));
            String value = text(json.get(field));
            if (value == null || !editable.valid().test(value)) {
                throw new InvalidInputException(field, "must be " + editable.accepts());
            }
            changes.put(editable, value);
        }
        String by = security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
        changes.forEach((e, value) -> overrides.put(e.key(), value, by));
        if (changes.keySet().stream().anyMatch(e -> e.field().equals("signing_alg"))) {
            // a key of the new kind, when none is published yet (an RSA key cannot sign ES256)
            keys.ensureSigningKey();
        }
        return read();
    }

    private static String text(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof JsonNumber n && n.isIntegral()) {
            return Long.toString(n.longValue());
        }
        if (value != null && (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE)) {
            return value.toString();
        }
        return null;
    }

    private static java.util.function.Predicate<String> range(long min, long max) {
        return value -> {
            try {
                long n = Long.parseLong(value);
                return n >= min && n <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    private static boolean origins(String value) {
        java.util.List<String> entries = java.util.Arrays.stream(value.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
        return value.length() <= 4000 && entries.size() <= 20 && entries.stream().allMatch(e -> e.matches("(?i)https?://[^/?#@\\s]+/?")
                && org.bastion.platform.OutboundFetcher.origins(e).size() == 1);
    }
}
