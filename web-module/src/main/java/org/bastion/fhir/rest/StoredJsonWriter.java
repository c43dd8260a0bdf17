package org.bastion.fhir.rest;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirRepository;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A read, or a search's matches, answered as stored: the JSON Bastion wrote is what HAPI's parser
 * writes for the resource, so a JSON answer without _summary, _elements or _pretty is that text,
 * sent as it is (a searchset: {@link Searchset#json}). Any other answer (XML, a shaped or indented
 * one) is parsed and written by {@link FhirResourceWriter}.
 */
@Provider
@Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
public class StoredJsonWriter implements MessageBodyWriter<Object> {

    /** The query parameters that change what is written (FhirResourceWriter). */
    static final Set<String> SHAPING = Set.of("_summary", "_elements", "_pretty");

    @Context
    UriInfo uriInfo;

    @Context
    Providers providers;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == FhirRepository.Json.class || type == Searchset.class;
    }

    @Override
    public void writeTo(Object stored, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException, WebApplicationException {
        boolean shaped = uriInfo.getQueryParameters().keySet().stream().anyMatch(SHAPING::contains);
        if (!FhirMediaTypes.isXml(mediaType) && !shaped) {
            httpHeaders.putSingle(HttpHeaders.CONTENT_TYPE, FhirMediaTypes.FHIR_JSON + ";charset=UTF-8");
            String json = stored instanceof Searchset searchset ? searchset.json() : ((FhirRepository.Json) stored).json();
            entityStream.write(json.getBytes(StandardCharsets.UTF_8));
            return;
        }
        IBaseResource resource = stored instanceof Searchset searchset ? searchset.toBundle() : Fhir.parse(((FhirRepository.Json) stored).json());
        MessageBodyWriter<IBaseResource> writer = providers.getMessageBodyWriter(IBaseResource.class, IBaseResource.class, annotations, mediaType);
        writer.writeTo(resource, IBaseResource.class, IBaseResource.class, annotations, mediaType, httpHeaders, entityStream);
    }
}
