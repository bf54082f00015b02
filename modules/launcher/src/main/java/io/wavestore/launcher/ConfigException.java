package io.wavestore.launcher;

/** An environment variable of the launcher is missing or wrong; the message names it. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String variable;

    public ConfigException(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    /** The environment variable at fault, e.g. {@code WAVESTORE_INSTANCE_ID}. */
    public String variable() {
        return variable;
    }
}
