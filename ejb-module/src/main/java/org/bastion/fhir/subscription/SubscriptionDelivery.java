package org.bastion.fhir.subscription;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.NodeName;
import org.bastion.platform.OutboundFetcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the queued notifications (rest-hook), on every node: woken when a write that queued some
 * commits, and every 5 seconds for retries and for what an earlier run of the server left (nothing
 * acknowledged is lost in a restart; at its start a node frees what it had claimed). Notifications
 * are claimed by one node for a minute, up to 20 at a time, before they are sent, and removed once
 * the endpoint answered 2xx: at least once, a second time only when a node stopped between sending
 * and removing. A failed attempt is tried again after the retry wait,
 * doubled each time (BASTION_SUBSCRIPTION_RETRY_SECONDS); after BASTION_SUBSCRIPTION_ATTEMPTS the
 * subscription turns to error with the last reason, and its other notifications are dropped.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubscriptionDelivery {

    private static final Logger LOG = Logger.getLogger(SubscriptionDelivery.class.getName());
    static final Duration CLAIM = Duration.ofMinutes(1);
    static final Duration LONGEST_WAIT = Duration.ofHours(1);
    private static final int BATCH = 20;
    /** More than one notification may take: the search, 3 s to connect and 5 s to answer. */
    private static final Duration LONGEST_SEND = Duration.ofSeconds(15);

    @EJB
    DeliveryStore store;

    @EJB
    SubscriptionChecks checks;

    @Inject
    OutboundFetcher outbound;

    @Inject
    BastionSettings settings;

    @Resource
    ManagedExecutorService executor;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    /** At start: the notifications this node had claimed when it stopped are anyone's again. */
    @jakarta.annotation.PostConstruct
    void releaseOwnClaims() {
        try {
            int released = store.release(NodeName.get());
            if (released > 0) {
                LOG.info(() -> released + " subscription notification(s) claimed by this node (" + NodeName.get() + ") when it stopped are sent again");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Notifications claimed before a restart are sent once their claim runs out", e);
        }
    }

    /** A write that queued notifications committed: send them now, on another thread. */
    public void wake() {
        try {
            executor.submit(this::sendDue);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Notifications wait for the next scheduled run", e);
        }
    }

    @Schedule(second = "*/5", minute = "*", hour = "*", persistent = false, info = "subscription notifications")
    void scheduled() {
        sendDue();
    }

    /** Sends what is due until nothing is; a call while a run is under way makes that run look again. */
    void sendDue() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        try {
            do {
                again.set(false);
                while (sendBatch() > 0) {
                    // next batch
                }
            } while (again.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Subscription notifications not sent; again in 5 seconds", e);
        } finally {
            running.set(false);
        }
    }

    /**
     * Claims up to BATCH due notifications in one statement and sends them one by one; those sent
     * (or pointless) are removed together at the end, so a node that stops meanwhile sends them again
     * (at least once). Before its claim could run out during a send, the rest is released.
     */
    private int sendBatch() {
        Instant now = Instant.now();
        Instant until = now.plus(CLAIM);
        List<DeliveryStore.Delivery> claimed = store.claim(store.due(now, BATCH), NodeName.get(), now, until);
        List<String> done = new ArrayList<>();
        try {
            for (int i = 0; i < claimed.size(); i++) {
                if (Instant.now().isAfter(until.minus(LONGEST_SEND))) {
                    store.release(claimed.subList(i, claimed.size()).stream().map(DeliveryStore.Delivery::id).toList(), NodeName.get());
                    break;
                }
                if (send(claimed.get(i))) {
                    done.add(claimed.get(i).id());
                }
            }
        } finally {
            store.delete(done);
        }
        return claimed.size();
    }

    /** Sends one notification: true when it is done with (sent, superseded or pointless), false when it waits or its subscription stopped. */
    private boolean send(DeliveryStore.Delivery delivery) {
        SubscriptionChecks.Decision decision = checks.decide(delivery);
        if (decision.dropped()) {
            return true;
        }
        if (!decision.send()) {
            stop(delivery.subscriptionId(), decision.error());
            return false;
        }
        String failure;
        try {
            int status = outbound.send(decision.url(), decision.method(), decision.headers(), decision.contentType(), decision.body());
            if (status >= 200 && status < 300) {
                return true;
            }
            failure = decision.method() + " " + decision.url() + " answered HTTP " + status;
        } catch (OutboundFetcher.Refused e) {
            failure = decision.method() + " " + decision.url() + " failed: " + e.detail();
        }
        int attempts = delivery.attempts() + 1;
        if (attempts >= settings.subscriptionAttempts()) {
            stop(delivery.subscriptionId(), "The notification of " + delivery.type() + "/" + delivery.resourceId() + " failed " + attempts
                    + " times; the last: " + failure);
            return false;
        }
        Duration wait = settings.subscriptionRetry().multipliedBy(1L << Math.min(attempts - 1, 20));
        store.retry(delivery.id(), attempts, Instant.now().plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait), failure);
        String why = failure;
        LOG.info(() -> "Subscription " + delivery.subscriptionId() + ": " + why + "; attempt " + (attempts + 1) + " in " + wait.toSeconds() + " s");
        return false;
    }

    private void stop(String subscriptionId, String reason) {
        LOG.warning(() -> "Subscription " + subscriptionId + " turned to error: " + reason);
        checks.stop(subscriptionId, reason);
        store.deleteAllOf(subscriptionId);
    }
}
