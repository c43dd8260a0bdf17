package org.bastion.platform;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.identity.application.UserService;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.SigningKeys;

import java.util.logging.Logger;

/** First-start work: a signing key, the bootstrap admin and the console's client, once the schema exists. */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class PlatformBootstrap {

    private static final Logger LOG = Logger.getLogger(PlatformBootstrap.class.getName());

    @EJB
    SigningKeys signingKeys;

    @EJB
    UserService users;

    @EJB
    ClientRegistry clients;

    @Inject
    BastionSettings settings;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        signingKeys.ensureSigningKey();
        users.ensureBootstrapAdmin();
        clients.ensureConsoleClient(settings.baseUrl());
        if (settings.fhirSecurityOff()) {
            LOG.warning("BASTION_FHIR_SECURITY=off: FHIR requests without a token are served with system/*.* access."
                    + " For measurements and local experiments only; ignored unless the base URL is on loopback");
        }
        if (!settings.audit()) {
            LOG.warning("BASTION_AUDIT=false: FHIR and token requests are not recorded in the audit trail");
        }
        LOG.info(() -> "Bastion " + BastionVersion.VALUE + " ready: issuer " + settings.issuer()
                + ", FHIR base " + settings.fhirBase());
    }
}
