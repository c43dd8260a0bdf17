package org.bastion.oauth.rest.pages;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message to show a user: a key into the page bundle ({@code messages*.properties}) and the
 * {@link java.text.MessageFormat} arguments for it. Rendered by {@link Pages#message}.
 */
public record Message(String key, Object... args) {

    public Message {
        Objects.requireNonNull(key, "key");
        args = args == null ? new Object[0] : args.clone();
    }

    @Override
    public Object[] args() {
        return args.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Message that && key.equals(that.key) && Arrays.equals(args, that.args);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(args);
    }

    @Override
    public String toString() {
        return args.length == 0 ? key : key + Arrays.toString(args);
    }
}
