package org.bastion.fhir.rest;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Reads a FHIR resource from JSON or XML with HAPI's parsers, strictly: unknown elements,
 * wrong types and malformed content are a 400 OperationOutcome, never silently dropped.
 */
@Provider
@Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
public class FhirResourceReader implements MessageBodyReader<Resource> {

    /** Room for a transaction bundle with a patient's whole record; bulk data has its own import. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Resource.class.isAssignableFrom(type);
    }

    @Override
    public Resource readFrom(Class<Resource> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        byte[] body = entityStream.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new FhirException(413, IssueType.TOOCOSTLY, "The resource is larger than " + MAX_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw new FhirException(400, IssueType.REQUIRED, "The request has no body; send a FHIR resource");
        }
        IParser parser = FhirMediaTypes.isXml(mediaType) ? Fhir.r4().newXmlParser() : Fhir.r4().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        try {
            return (Resource) parser.parseResource(new InputStreamReader(new java.io.ByteArrayInputStream(body), StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
            throw new FhirException(400, IssueType.STRUCTURE, "The body is not a valid FHIR R4 resource: " + e.getMessage());
        }
    }
}
