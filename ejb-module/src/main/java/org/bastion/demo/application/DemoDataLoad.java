package org.bastion.demo.application;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.logging.Logger;

/**
 * The step of the bastion-demo-data batch job: each bundle in its own transaction (a restarted
 * job skips what is there), then the demo users and clients. Progress goes to the job's exit status.
 */
@Named("demoDataLoad")
@Dependent
public class DemoDataLoad extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(DemoDataLoad.class.getName());

    @EJB
    DemoData demo;

    @Inject
    JobContext job;

    private volatile boolean stopped;

    @Override
    @ActivateRequestContext
    public String process() {
        List<String> names = demo.bundleNames();
        int loaded = 0;
        for (int i = 0; i < names.size(); i++) {
            if (stopped) {
                return BatchStatus.STOPPED.name();
            }
            if (demo.load(names.get(i))) {
                loaded++;
            }
            job.setExitStatus("bundles " + (i + 1) + "/" + names.size());
            if ((i + 1) % 10 == 0) {
                LOG.info("Demo data: " + (i + 1) + " of " + names.size() + " bundles");
            }
        }
        demo.ensureAccounts();
        String summary = "Demo data ready: " + loaded + " bundles loaded now, " + (names.size() - loaded) + " were there; users "
                + DemoData.PRACTITIONER_USER + " and " + DemoData.PATIENT_USER + " (password = user name), clients "
                + DemoData.APP_CLIENT_ID + " and " + DemoData.POSTMAN_CLIENT_ID;
        LOG.info(summary);
        job.setExitStatus(summary);
        return BatchStatus.COMPLETED.name();
    }

    @Override
    public void stop() {
        stopped = true;
    }
}
