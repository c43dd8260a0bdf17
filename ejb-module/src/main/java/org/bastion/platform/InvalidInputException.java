package org.bastion.platform;

import jakarta.ejb.ApplicationException;

/** Input an admin or an API caller sent that cannot be used: names the field and the reason (a 400). */
@ApplicationException(rollback = true)
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
