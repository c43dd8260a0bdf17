package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import org.bastion.fhir.application.FhirBodies;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a FHIR resource from JSON or XML with HAPI's parsers, strictly: unknown elements,
 * wrong types and malformed content are a 400 OperationOutcome, never silently dropped. The body
 * streams into the parser through BoundedBody (size and nesting limits) rather than being copied
 * first; a Bundle with more entries than the limit is refused before it is processed (FhirBodies).
 */
@Provider
@Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
public class FhirResourceReader implements MessageBodyReader<Resource> {

    @Inject
    BastionSettings settings;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return Resource.class.isAssignableFrom(type);
    }

    @Override
    public Resource readFrom(Class<Resource> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return FhirBodies.read(entityStream, settings.fhirLimits(), FhirMediaTypes.isXml(mediaType), "body");
    }
}
