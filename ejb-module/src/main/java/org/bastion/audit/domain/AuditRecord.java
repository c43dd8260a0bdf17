package org.bastion.audit.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One audited request: who (subject, client, issuer, source address), what (category, action,
 * method, path, query, resource), when, and how it ended (the HTTP status and a detail); the
 * request's id when it was made while serving an HTTP request (RequestIds).
 */
@Entity
@Table(name = "audit_event")
public class AuditRecord {

    /**
     * A FHIR REST interaction, a request to the token endpoint, a request to the admin API, or
     * another security event of the authorization server (sign-in, consent, logout, registration,
     * introspection, revocation).
     */
    public enum Category { REST, TOKEN, ADMIN, SECURITY }

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
    @SequenceGenerator(name = "audit_event_seq", sequenceName = "audit_event_seq", allocationSize = 50)
    private Long pk;

    @Column(nullable = false)
    private Instant recorded;

    @Column(nullable = false)
    private String category;

    @Column(nullable = false)
    private String action;

    @Column(nullable = false)
    private String method;

    @Column(nullable = false)
    private String path;

    private String query;

    @Column(name = "resource_type")
    private String resourceType;

    @Column(name = "resource_id")
    private String resourceId;

    @Column(nullable = false)
    private int outcome;

    private String detail;

    private String subject;

    @Column(name = "client_id")
    private String clientId;

    private String issuer;

    private String source;

    @Column(name = "token_id")
    private String tokenId;

    @Column(name = "request_id")
    private String requestId;

    protected AuditRecord() {
    }

    public AuditRecord(Instant recorded, Category category, String action, String method, String path, String query) {
        this.recorded = recorded;
        this.category = category.name().toLowerCase(java.util.Locale.ROOT);
        this.action = action;
        this.method = method;
        this.path = cut(path, 1024);
        this.query = cut(query, 2048);
        this.requestId = org.bastion.platform.RequestIds.current().orElse(null);
    }

    public AuditRecord resource(String type, String id) {
        this.resourceType = cut(type, 64);
        this.resourceId = cut(id, 64);
        return this;
    }

    public AuditRecord who(String subject, String clientId, String issuer, String source) {
        this.subject = cut(subject, 255);
        this.clientId = cut(clientId, 255);
        this.issuer = cut(issuer, 512);
        this.source = cut(source, 64);
        return this;
    }

    /** The jti of the token the request used or was given. */
    public AuditRecord token(String tokenId) {
        this.tokenId = cut(tokenId, 255);
        return this;
    }

    public AuditRecord outcome(int status, String detail) {
        this.outcome = status;
        this.detail = cut(detail, 1024);
        return this;
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    public Long pk() {
        return pk;
    }

    public Instant recorded() {
        return recorded;
    }

    public String category() {
        return category;
    }

    public String action() {
        return action;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }

    public int outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }

    public String subject() {
        return subject;
    }

    public String clientId() {
        return clientId;
    }

    public String issuer() {
        return issuer;
    }

    public String source() {
        return source;
    }

    public String tokenId() {
        return tokenId;
    }

    /** The X-Request-Id of the request this record is of, also in its log lines. */
    public String requestId() {
        return requestId;
    }
}
