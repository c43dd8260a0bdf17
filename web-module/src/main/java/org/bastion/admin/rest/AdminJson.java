package org.bastion.admin.rest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.bastion.platform.InvalidInputException;

import java.io.StringReader;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reading the admin API's JSON bodies, with a 400 naming the field when a value has the wrong type. */
final class AdminJson {

    static final int MAX_BODY = 64 * 1024;

    private AdminJson() {
    }

    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("body", "must be a JSON object");
        }
        if (body.length() > MAX_BODY) {
            throw new InvalidInputException("body", "is larger than " + MAX_BODY + " characters");
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    static String string(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString s)) {
            throw new InvalidInputException(field, "must be a string");
        }
        return s.getString();
    }

    static Set<String> strings(JsonObject json, String field) {
        JsonValue value = json.get(field);
        Set<String> result = new LinkedHashSet<>();
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return result;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        for (JsonValue item : value.asJsonArray()) {
            if (!(item instanceof JsonString s)) {
                throw new InvalidInputException(field, "must be an array of strings");
            }
            result.add(s.getString());
        }
        return result;
    }

    /** A whole number field of a JSON body, or the fallback when absent or null. */
    static long number(JsonObject json, String field, long fallback) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (!(value instanceof jakarta.json.JsonNumber n) || !n.isIntegral()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return n.longValue();
    }

    /** An instant field of a JSON body (2026-11-25T10:00:00Z), or null when absent. */
    static java.time.Instant instant(JsonObject json, String field) {
        return instant(field, string(json, field));
    }

    /** An instant (2026-11-25T10:00:00Z) a field or query parameter holds, or null when absent or blank. */
    static java.time.Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException(field, "must be an instant such as 2026-11-25T10:00:00Z, not '" + value + "'");
        }
    }

    /** A whole number query parameter within bounds, or the fallback when absent. */
    static int number(String field, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new InvalidInputException(field, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a whole number, not '" + value + "'");
        }
    }

    static boolean bool(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() != JsonValue.ValueType.TRUE && value.getValueType() != JsonValue.ValueType.FALSE) {
            throw new InvalidInputException(field, "must be true or false");
        }
        return value.getValueType() == JsonValue.ValueType.TRUE;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
