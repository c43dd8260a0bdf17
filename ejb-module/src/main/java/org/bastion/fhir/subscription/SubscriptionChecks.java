package org.bastion.fhir.subscription;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to do with one queued notification, decided with the owner's scopes as they are now (the
 * one gate every FHIR read goes through): send it, drop it (the subscription is off or gone, the
 * resource no longer matches or was changed again, which queued its own notification), or stop
 * the subscription with the reason (its client was disabled or lost the scopes).
 */
@Stateless
public class SubscriptionChecks {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    FhirRepository repository;

    @Inject
    RequestAccess access;

    @Inject
    TokenPolicies policies;

    /** A decision: send (url, method, headers, content type, body), drop, or stop the subscription (error: why). */
    public record Decision(String url, String method, Map<String, String> headers, String contentType, byte[] body, String error) {
        static Decision drop() {
            return new Decision(null, null, Map.of(), null, null, null);
        }

        static Decision stop(String error) {
            return new Decision(null, null, Map.of(), null, null, error);
        }

        public boolean send() {
            return url != null;
        }

        public boolean dropped() {
            return url == null && error == null;
        }
    }

    @ActivateRequestContext
    public Decision decide(DeliveryStore.Delivery delivery) {
        List<?> rows = em.createNativeQuery("select s.body, o.client_id, o.scopes from fhir_resource s"
                        + " join subscription_owner o on o.subscription_id = s.resource_id where s.resource_type = ? and s.resource_id = ? and s.deleted = false")
                .setParameter(1, AccessPolicy.SUBSCRIPTION).setParameter(2, delivery.subscriptionId()).getResultList();
        if (rows.isEmpty()) {
            return Decision.drop();
        }
        Object[] row = (Object[]) rows.get(0);
        Subscription subscription = (Subscription) Fhir.parse((String) row[0]);
        if (subscription.getStatus() != Subscription.SubscriptionStatus.ACTIVE) {
            return Decision.drop();
        }
        SubscriptionRules.Rule rule;
        try {
            rule = SubscriptionRules.read(subscription);
            access.set(policies.clientPolicy((String) row[1], List.of(((String) row[2]).split(" "))));
        } catch (FhirException | InvalidTokenException e) {
            return Decision.stop(e.getMessage());
        }
        Map<String, List<String>> params = new LinkedHashMap<>(rule.params());
        List<String> ids = new ArrayList<>(params.getOrDefault("_id", List.of()));
        ids.add(delivery.resourceId());
        params.put("_id", ids);
        List<Resource> found;
        try {
            found = repository.search(delivery.type(), params, 0, 1, false).resources();
        } catch (FhirException e) {
            if (e.status() == 403) {
                return Decision.stop("Client '" + row[1] + "' may no longer read what this subscription watches: " + e.getMessage());
            }
            return Decision.stop("The criteria cannot be searched: " + e.getMessage());
        }
        if (found.isEmpty()) {
            return Decision.drop();
        }
        Resource resource = found.get(0);
        String version = resource.getMeta().getVersionId();
        if (version != null && Long.parseLong(version) > delivery.version()) {
            return Decision.drop(); // written again since: that write queued its own notification
        }
        if (!rule.fullResource()) {
            return new Decision(rule.endpoint(), "POST", rule.headers(), null, new byte[0], null);
        }
        String url = rule.endpoint() + (rule.endpoint().endsWith("/") ? "" : "/") + delivery.type() + "/" + delivery.resourceId();
        return new Decision(url, "PUT", rule.headers(), "application/fhir+json", Fhir.json(resource).getBytes(StandardCharsets.UTF_8), null);
    }

    /** Turns a subscription to error with the reason, as the server's own change (a new version of it). */
    @ActivateRequestContext
    public void stop(String subscriptionId, String reason) {
        access.set(AccessPolicy.SERVER);
        Resource stored;
        try {
            stored = repository.read(AccessPolicy.SUBSCRIPTION, subscriptionId);
        } catch (FhirException e) {
            return; // deleted meanwhile
        }
        Subscription subscription = (Subscription) stored;
        if (subscription.getStatus() != Subscription.SubscriptionStatus.ACTIVE) {
            return;
        }
        subscription.setStatus(Subscription.SubscriptionStatus.ERROR);
        subscription.setError(reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        repository.update(AccessPolicy.SUBSCRIPTION, subscriptionId, subscription, null);
    }
}
