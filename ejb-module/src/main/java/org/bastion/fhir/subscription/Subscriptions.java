package org.bastion.fhir.subscription;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.OutboundFetcher;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.SmartScope.Permission;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Subscription;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Subscriptions in the FHIR write path, in the writer's transaction: a Subscription is checked
 * before it is stored (its rules, its endpoint as any outbound URL, its owner's scopes) and made
 * active; every resource written queues a notification for each active subscription watching its
 * type, committed with the write, and the sender is woken once the write commits. Whether the
 * resource matches a subscription's criteria is decided when the notification is sent, with the
 * owner's scopes as they are then ({@link SubscriptionChecks}).
 */
@Stateless
public class Subscriptions {

    private static final String WAKE = Subscriptions.class.getName() + ".wake";

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    RequestAccess access;

    @Inject
    TokenPolicies policies;

    @Inject
    OutboundFetcher outbound;

    @Inject
    SubscriptionCache cache;

    @EJB
    SubscriptionDelivery delivery;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /**
     * Before a Subscription is stored: its rules, and for a request, its owner (the token's client, which
     * must be able to read and search what it watches with its own system/ scopes) and its endpoint.
     * The status becomes active (requested and active alike) or stays off; error is the server's to set.
     */
    public void accept(Subscription subscription) {
        SubscriptionRules.Rule rule = SubscriptionRules.read(subscription);
        if (access.policy().server() && access.token().isEmpty() && subscription.getStatus() == Subscription.SubscriptionStatus.ERROR) {
            return; // the server's own change: a subscription turned to error (SubscriptionChecks.stop)
        }
        VerifiedAccessToken token = access.token().filter(VerifiedAccessToken::issuedHere).filter(t -> t.clientId() != null)
                .orElseThrow(() -> new FhirException(403, IssueType.FORBIDDEN, "A Subscription belongs to one of this server's clients,"
                        + " whose own system/ scopes its notifications are read with; this token was issued elsewhere"));
        AccessPolicy owner;
        try {
            owner = policies.clientPolicy(token.clientId(), token.scopes());
        } catch (InvalidTokenException e) {
            throw new FhirException(403, IssueType.FORBIDDEN, e.getMessage());
        }
        if (owner.restriction(Permission.READ, rule.type()).denied() || owner.restriction(Permission.SEARCH, rule.type()).denied()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Notifications are read with client '" + token.clientId() + "''s own system/ scopes,"
                    + " which do not let it read and search " + rule.type() + ": it needs system/" + rule.type() + ".rs");
        }
        try {
            outbound.check(rule.endpoint());
        } catch (OutboundFetcher.Refused e) {
            throw new FhirException(400, IssueType.INVALID, "Subscription.channel.endpoint: " + e.getMessage() + "; an endpoint is an https URL"
                    + " on a public address, or on an origin an admin allowed (bastion.outbound.allowed.origins)");
        }
        Subscription.SubscriptionStatus status = subscription.getStatus();
        if (status == null || status == Subscription.SubscriptionStatus.REQUESTED || status == Subscription.SubscriptionStatus.ACTIVE) {
            subscription.setStatus(Subscription.SubscriptionStatus.ACTIVE);
            subscription.setError(null);
        } else if (status != Subscription.SubscriptionStatus.OFF) {
            throw new FhirException(400, IssueType.INVALID, "Subscription.status '" + status.toCode() + "' is the server's to set;"
                    + " send requested (to have it active) or off");
        }
    }

    /** After a request stored a Subscription: the token's client owns it (with its scopes of now). */
    public void owned(String id) {
        if (access.token().isEmpty()) {
            return; // the server's own change keeps the owner
        }
        VerifiedAccessToken token = access.token().get();
        em.createNativeQuery("delete from subscription_owner where subscription_id = ?").setParameter(1, id).executeUpdate();
        em.createNativeQuery("insert into subscription_owner (subscription_id, client_id, scopes, updated_at) values (?, ?, ?, ?)")
                .setParameter(1, id).setParameter(2, token.clientId()).setParameter(3, String.join(" ", token.scopes()))
                .setParameter(4, Timestamp.from(Instant.now())).executeUpdate();
        afterCommit(WAKE + ".cache", cache::forget);
    }

    /** After any resource was written: a notification for each active subscription watching its type, sent once this commits. */
    public void changed(String type, String id, long version) {
        List<String> watching = cache.active(type, this::activeByType);
        if (watching.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        for (String subscription : watching) {
            em.createNativeQuery("insert into subscription_delivery (id, subscription_id, resource_type, resource_id, version_id, created_at,"
                            + " attempts, next_attempt) values (?, ?, ?, ?, ?, ?, 0, ?)")
                    .setParameter(1, UUID.randomUUID().toString()).setParameter(2, subscription).setParameter(3, type).setParameter(4, id)
                    .setParameter(5, version).setParameter(6, now).setParameter(7, now).executeUpdate();
        }
        afterCommit(WAKE, delivery::wake);
    }

    /** The active subscriptions by the type their criteria watch, as stored now. */
    private Map<String, List<String>> activeByType() {
        Map<String, List<String>> byType = new HashMap<>();
        List<?> rows = em.createNativeQuery("select resource_id, body from fhir_resource where resource_type = ? and deleted = false")
                .setParameter(1, AccessPolicy.SUBSCRIPTION).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            Subscription subscription = (Subscription) Fhir.parse((String) r[1]);
            String criteria = subscription.getCriteria();
            if (subscription.getStatus() == Subscription.SubscriptionStatus.ACTIVE && criteria != null) {
                String type = criteria.split("\\?", 2)[0].trim();
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add((String) r[0]);
            }
        }
        return byType;
    }

    /** Runs once after the current transaction commits (however many writes ask within it). */
    private void afterCommit(String key, Runnable action) {
        if (transactions.getResource(key) != null) {
            return;
        }
        transactions.putResource(key, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        // the scheduled run sends what a wake-up could not
                        java.util.logging.Logger.getLogger(Subscriptions.class.getName()).log(java.util.logging.Level.FINE, "after commit", e);
                    }
                }
            }
        });
    }
}
