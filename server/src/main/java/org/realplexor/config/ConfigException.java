package org.realplexor.config;

/**
 * The settings cannot be built: a config file that cannot be read or parsed, a bad command
 * line, or a knob with the wrong form. The message is meant for the operator as is; for file
 * errors it starts with {@code FILE:LINE:}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
