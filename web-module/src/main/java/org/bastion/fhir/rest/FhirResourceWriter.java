package org.bastion.fhir.rest;

import ca.uhn.fhir.parser.IParser;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import org.bastion.fhir.application.Fhir;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** Writes FHIR resources as JSON or XML with HAPI's parsers; _pretty=true indents. */
@Provider
@Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
public class FhirResourceWriter implements MessageBodyWriter<IBaseResource> {

    @Context
    UriInfo uriInfo;

    /** _summary and _elements (R4 search.html#summary, #elements): on a Bundle they shape its entries. */
    private void shape(IParser parser, IBaseResource resource) {
        if (resource instanceof org.hl7.fhir.r4.model.OperationOutcome) {
            // an error's diagnostics are never cut by the _summary or _elements of the request it refuses
            return;
        }
        String summary = uriInfo.getQueryParameters().getFirst("_summary");
        String elements = uriInfo.getQueryParameters().getFirst("_elements");
        boolean bundle = resource instanceof org.hl7.fhir.r4.model.Bundle;
        if ("true".equals(summary)) {
            parser.setSummaryMode(true);
        } else if ("data".equals(summary)) {
            parser.setSuppressNarratives(true);
        } else if ("text".equals(summary)) {
            parser.setEncodeElements(java.util.Set.of("*.text", "*.id", "*.meta"));
        }
        if (elements != null && !elements.isBlank()) {
            java.util.Set<String> encode = new java.util.HashSet<>();
            for (String element : elements.split(",")) {
                if (!element.isBlank()) {
                    encode.add("*." + element.trim());
                }
            }
            parser.setEncodeElements(encode);
        }
        if (bundle) {
            parser.setEncodeElementsAppliesToChildResourcesOnly(true);
        }
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return IBaseResource.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(IBaseResource resource, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        boolean xml = FhirMediaTypes.isXml(mediaType);
        httpHeaders.putSingle(HttpHeaders.CONTENT_TYPE, (xml ? FhirMediaTypes.FHIR_XML : FhirMediaTypes.FHIR_JSON) + ";charset=UTF-8");
        IParser parser = xml ? Fhir.r4().newXmlParser() : Fhir.r4().newJsonParser();
        parser.setPrettyPrint("true".equals(uriInfo.getQueryParameters().getFirst("_pretty")));
        shape(parser, resource);
        Writer writer = new OutputStreamWriter(entityStream, StandardCharsets.UTF_8);
        parser.encodeResourceToWriter(resource, writer);
        writer.flush();
    }
}
