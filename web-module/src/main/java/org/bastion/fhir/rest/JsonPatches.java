package org.bastion.fhir.rest;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.StringReader;

/** Applies an RFC 6902 JSON Patch (Jakarta JSON Processing) to a resource's JSON and parses the result strictly. */
final class JsonPatches {

    static final int MAX_LENGTH = 1024 * 1024;

    private JsonPatches() {
    }

    static Resource apply(Resource current, String patch) {
        if (patch == null || patch.isBlank() || patch.length() > MAX_LENGTH) {
            throw new FhirException(400, IssueType.INVALID, "A JSON Patch body (an array of operations, at most 1 MiB) is required");
        }
        JsonObject patched;
        try (JsonReader document = Json.createReader(new StringReader(Fhir.json(current)));
             JsonReader operations = Json.createReader(new StringReader(patch))) {
            JsonArray array = operations.readArray();
            patched = Json.createPatch(array).apply(document.readObject());
        } catch (JsonException | ClassCastException e) {
            throw new FhirException(422, IssueType.PROCESSING, "The JSON Patch cannot be applied: " + e.getMessage());
        }
        IParser parser = Fhir.r4().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        try {
            return (Resource) parser.parseResource(patched.toString());
        } catch (DataFormatException e) {
            throw new FhirException(422, IssueType.PROCESSING, "The patched resource is not valid FHIR: " + e.getMessage());
        }
    }
}
