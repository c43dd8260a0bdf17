package org.bastion.demo.application;

import jakarta.annotation.PostConstruct;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;

import java.util.Properties;
import java.util.logging.Logger;

/** With BASTION_DEMO=true, starts the bastion-demo-data batch job once the platform is ready. */
@Singleton
@Startup
@DependsOn("PlatformBootstrap")
public class DemoDataStart {

    static final String JOB = "bastion-demo-data";
    private static final Logger LOG = Logger.getLogger(DemoDataStart.class.getName());

    @Inject
    BastionSettings settings;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        if (!settings.demo()) {
            return;
        }
        LOG.warning("BASTION_DEMO=true: loading the demo data set, with users and a client secret whose passwords are published."
                + " For trying Bastion out only, never on a server with real data");
        long execution = BatchRuntime.getJobOperator().start(JOB, new Properties());
        LOG.info(() -> "Demo data: job " + JOB + " started (execution " + execution + ")");
    }
}
