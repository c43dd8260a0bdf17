package org.bastion.fhir.subscription;

import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionRulesTest {

    static Subscription subscription(String criteria, String payload, String... headers) {
        Subscription subscription = new Subscription().setCriteria(criteria).setReason("test");
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint("https://example.org/hook").setPayload(payload);
        for (String header : headers) {
            subscription.getChannel().addHeader(header);
        }
        return subscription;
    }

    @Test
    void aRestHookSubscriptionReadsAsWhatItWatchesAndHowItIsSent() {
        SubscriptionRules.Rule rule = SubscriptionRules.read(subscription("Observation?code=http://loinc.org|2339-0&subject:Patient.name=x",
                "application/fhir+json", "Authorization: Bearer abc", "X-Feed:  lab "));
        assertEquals("Observation", rule.type());
        assertEquals(List.of("http://loinc.org|2339-0"), rule.params().get("code"));
        assertTrue(rule.fullResource());
        assertEquals(Map.of("Authorization", "Bearer abc", "X-Feed", "lab"), rule.headers());
        assertFalse(SubscriptionRules.read(subscription("Patient", null)).fullResource(), "a whole type, without payload");
    }

    @Test
    void whatCannotBeSentAsANotificationIsRefusedNamingTheElement() {
        Object[][] refused = {
                {subscription("Observation?_count=1", null), "_count"},
                {subscription("Observation?colour=red", null), "colour"},
                {subscription("Subscription?status=active", null), "cannot watch"},
                {subscription("observation?code=x", null), "resource type"},
                {subscription("", null), "criteria is required"},
                {subscription("Observation", "application/xml"), "payload"},
                {subscription("Observation", null, "X-A: b\r\nX-Injected: c"), "header"},
                {subscription("Observation", null, "Host: other.example.org"), "Host"},
                {subscription("Observation", null, "no colon"), "header"},
        };
        for (Object[] attempt : refused) {
            FhirException e = assertThrows(FhirException.class, () -> SubscriptionRules.read((Subscription) attempt[0]), (String) attempt[1]);
            assertEquals(400, e.status());
            assertTrue(e.getMessage().contains((String) attempt[1]), attempt[1] + " -> " + e.getMessage());
        }
        Subscription email = subscription("Observation", null);
        email.getChannel().setType(Subscription.SubscriptionChannelType.EMAIL);
        assertTrue(assertThrows(FhirException.class, () -> SubscriptionRules.read(email)).getMessage().contains("rest-hook"));
    }
}
