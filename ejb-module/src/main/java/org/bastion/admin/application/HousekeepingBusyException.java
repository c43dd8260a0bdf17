package org.bastion.admin.application;

import jakarta.ejb.ApplicationException;

import java.util.Optional;

/** A run was asked for while another holds the lease, on this node or another: it names that run. */
@ApplicationException(rollback = true)
public class HousekeepingBusyException extends RuntimeException {

    public HousekeepingBusyException(Optional<HousekeepingLease.Holder> holder) {
        super(holder.map(h -> "Housekeeping is running on node " + h.node() + " (run " + h.run() + ", lease held until " + h.until()
                        + "); this request deleted nothing: ask again when that run has ended")
                .orElse("Another housekeeping run held the lease a moment ago; this request deleted nothing: ask again"));
    }
}
