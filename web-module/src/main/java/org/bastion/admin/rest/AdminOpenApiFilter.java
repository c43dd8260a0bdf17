package org.bastion.admin.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;

/**
 * Every admin call refuses the same way: 401 without a token this server accepts, 403 for a
 * user without the admin role (AdminTokenFilter). Named by mp.openapi.filter.
 */
public class AdminOpenApiFilter implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().ref("NotAuthenticated"));
        operation.getResponses().addAPIResponse("403", OASFactory.createAPIResponse().ref("NotAdmin"));
        return operation;
    }
}
