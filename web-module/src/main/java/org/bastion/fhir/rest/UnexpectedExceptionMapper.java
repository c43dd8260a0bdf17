package org.bastion.fhir.rest;

import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A write that lost a race with a concurrent one is a 409 the client can retry (nothing of it was
 * stored); anything else is a bug, not a bad request: logged with an id the OperationOutcome
 * repeats, without internals in the response.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());
    /** Unique violation, serialization failure, deadlock, lock timeouts (PostgreSQL 55P03, H2 HYT00, 40001). */
    private static final Set<String> CONFLICT_STATES = Set.of("23505", "40001", "40P01", "55P03", "HYT00");

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(Exception e) {
        if (lostARace(e)) {
            LOG.log(Level.FINE, "Concurrent write refused", e);
            return OperationOutcomes.error(409, IssueType.CONFLICT, "A concurrent request changed the same resource at the same time; "
                    + "nothing of this request was stored. Read the resource again and retry", headers).build();
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Incident " + incident, e);
        return OperationOutcomes.error(500, IssueType.EXCEPTION,
                "Internal error; the server log has the details under incident " + incident, headers).build();
    }

    static boolean lostARace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof PessimisticLockException || t instanceof LockTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && CONFLICT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
