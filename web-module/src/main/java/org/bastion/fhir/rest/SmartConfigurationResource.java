package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.ServerMetadataFactory;

/** SMART App Launch 2 §2.1: how apps find the authorization server of this FHIR base. Public. */
@Path(".well-known/smart-configuration")
public class SmartConfigurationResource {

    @Inject
    ServerMetadataFactory metadata;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response smartConfiguration() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(metadata.smartConfiguration()).cacheControl(cache).build();
    }
}
