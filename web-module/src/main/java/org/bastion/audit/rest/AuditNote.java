package org.bastion.audit.rest;

import jakarta.enterprise.context.RequestScoped;

/**
 * What a resource knows about its request that the audit filter cannot see from outside: who
 * acted (a user, or the name tried at sign-in), through which client, with which token (jti),
 * and what came of it. Filled by the resource, read by {@link OAuthAuditFilter} once the response
 * is ready.
 */
@RequestScoped
public class AuditNote {

    private String action;
    private String subject;
    private String clientId;
    private String tokenId;
    private String detail;

    public AuditNote action(String action) {
        this.action = action;
        return this;
    }

    public AuditNote subject(String subject) {
        this.subject = subject;
        return this;
    }

    public AuditNote client(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public AuditNote token(String tokenId) {
        this.tokenId = tokenId;
        return this;
    }

    public AuditNote detail(String detail) {
        this.detail = detail;
        return this;
    }

    public String action() {
        return action;
    }

    public String subject() {
        return subject;
    }

    public String clientId() {
        return clientId;
    }

    public String tokenId() {
        return tokenId;
    }

    public String detail() {
        return detail;
    }
}
