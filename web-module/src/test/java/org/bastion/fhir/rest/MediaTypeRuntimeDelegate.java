package org.bastion.fhir.rest;

import jakarta.ws.rs.SeBootstrap;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.Variant;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.util.concurrent.CompletionStage;

/**
 * Just enough of a JAX-RS runtime for unit tests outside a server: MediaType.valueOf and
 * toString (type/subtype, parameters dropped). Everything else is unsupported.
 */
final class MediaTypeRuntimeDelegate extends RuntimeDelegate {

    /** Makes this the JAX-RS runtime of the JVM, unless there is one already. */
    static void install() {
        try {
            RuntimeDelegate.getInstance();
        } catch (RuntimeException | LinkageError none) {
            RuntimeDelegate.setInstance(new MediaTypeRuntimeDelegate());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> HeaderDelegate<T> createHeaderDelegate(Class<T> type) {
        if (type != MediaType.class) {
            throw new UnsupportedOperationException("No header delegate for " + type);
        }
        return (HeaderDelegate<T>) new HeaderDelegate<MediaType>() {
            @Override
            public MediaType fromString(String value) {
                String[] typeAndSubtype = value.split(";", 2)[0].trim().split("/", 2);
                return new MediaType(typeAndSubtype[0], typeAndSubtype.length > 1 ? typeAndSubtype[1] : MediaType.MEDIA_TYPE_WILDCARD);
            }

            @Override
            public String toString(MediaType value) {
                return value.getType() + "/" + value.getSubtype();
            }
        };
    }

    @Override
    public UriBuilder createUriBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Response.ResponseBuilder createResponseBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Variant.VariantListBuilder createVariantListBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T createEndpoint(Application application, Class<T> endpointType) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Link.Builder createLinkBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public SeBootstrap.Configuration.Builder createConfigurationBuilder() {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<SeBootstrap.Instance> bootstrap(Application application, SeBootstrap.Configuration configuration) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<SeBootstrap.Instance> bootstrap(Class<? extends Application> application, SeBootstrap.Configuration configuration) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EntityPart.Builder createEntityPartBuilder(String partName) {
        throw new UnsupportedOperationException();
    }
}
