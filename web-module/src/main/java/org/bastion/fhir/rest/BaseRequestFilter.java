package org.bastion.fhir.rest;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

/** Routes POST [base] (a batch or transaction) to {@link BaseResource}. */
@Provider
@PreMatching
public class BaseRequestFilter implements ContainerRequestFilter {

    static final String BUNDLES = "_bundle";

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (HttpMethod.POST.equals(request.getMethod()) && (path.isEmpty() || "/".equals(path))) {
            request.setRequestUri(UriBuilder.fromUri(request.getUriInfo().getRequestUri()).path(BUNDLES).build());
        }
    }
}
