package org.bastion.smart.domain;

import java.util.Set;

/**
 * The patients a user may act for with user/ scopes (and choose in a standalone launch): every
 * patient, some, or none. Whatever the server cannot place reaches nothing, never everything.
 */
public sealed interface Reach {

    /** An admin granted this user every patient. */
    record Everything() implements Reach {
    }

    /** The user's own record, the patients they are linked to, or those an admin listed. */
    record Patients(Set<String> ids) implements Reach {
        public Patients {
            ids = Set.copyOf(ids);
        }
    }

    record Nothing() implements Reach {
    }

    Reach EVERYTHING = new Everything();
    Reach NOTHING = new Nothing();

    static Reach of(boolean everything, Set<String> patients) {
        if (everything) {
            return EVERYTHING;
        }
        return patients.isEmpty() ? NOTHING : new Patients(patients);
    }

    /** Whether this reach includes a patient. */
    default boolean includes(String patientId) {
        return this instanceof Everything || this instanceof Patients p && p.ids().contains(patientId);
    }
}
