package org.bastion.fhir.rest;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A bug, not a bad request: logged with an id the OperationOutcome repeats, without internals in the response. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Incident " + incident, e);
        return OperationOutcomes.error(500, IssueType.EXCEPTION,
                "Internal error; the server log has the details under incident " + incident, headers).build();
    }
}
