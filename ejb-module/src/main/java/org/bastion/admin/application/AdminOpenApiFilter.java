package org.bastion.admin.application;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Every admin call refuses the same way: 401 without a token this server accepts, 403 for a
 * user without the admin role (AdminTokenFilter). And the document describes the admin API only,
 * although Payara Server scans every JAX-RS application of an EAR whatever mp.openapi.scan.packages
 * says. Named by mp.openapi.filter in this module's microprofile-config.properties: Payara Server
 * reads an EAR's configuration, and loads the filter, at the EAR's level, where the web module's
 * classes are not.
 */
public class AdminOpenApiFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().ref("NotAuthenticated"));
        operation.getResponses().addAPIResponse("403", OASFactory.createAPIResponse().ref("NotAdmin"));
        return operation;
    }

    @Override
    public void filterOpenAPI(org.eclipse.microprofile.openapi.models.OpenAPI openAPI) {
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            new java.util.ArrayList<>(openAPI.getPaths().getPathItems().keySet()).stream()
                    .filter(path -> !path.startsWith("/admin/api/"))
                    .forEach(openAPI.getPaths()::removePathItem);
        }
    }
}
