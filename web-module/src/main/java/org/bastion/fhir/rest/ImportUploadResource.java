package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.fhir.bulk.BulkImports;
import org.bastion.platform.BastionSettings;

import java.io.InputStream;
import java.net.URI;

/**
 * [base]/$import-upload: a file for a bulk import (NDJSON, or one JSON resource such as a
 * transaction Bundle), streamed to the server's disk as it arrives; 201 with the Location an
 * import's input names as its url. Only the client that uploaded it may import it.
 */
@Path(BulkImports.UPLOAD_PATH)
@RequiresBearerToken
public class ImportUploadResource {

    @EJB
    BulkImports imports;

    @Inject
    BastionSettings settings;

    @Context
    SecurityContext security;

    @POST
    public Response upload(InputStream body) {
        BulkImports.Upload upload = imports.upload(ExportKickOffs.requester(security), body);
        String url = settings.fhirBase() + "/" + BulkImports.UPLOAD_PATH + "/" + upload.id();
        return Response.created(URI.create(url)).type(MediaType.APPLICATION_JSON)
                .entity("{\"url\":\"" + url + "\",\"bytes\":" + upload.bytes() + "}").build();
    }
}
