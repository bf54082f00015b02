package io.wavestore.bundle;

/**
 * A kind of refusal, as every module names its own (bundles, the catalog, instances, aliases): a stable
 * {@link #code()} that the API turns into its problem type ({@code urn:wavestore:problem:<code>}) and clients match
 * on, a short human {@link #title()}, and the HTTP {@link #status()} the API answers it with. One interface, so that
 * the store has one mapper from errors to problems. It lives in the bundle module because that is the one module
 * every other depends on.
 */
public interface ErrorCode {

    /** Stable kebab-case identifier, e.g. {@code entry-escapes-root}. */
    String code();

    /** Short human summary, e.g. "Entry escapes the bundle root". */
    String title();

    /** The HTTP status the API answers with. */
    int status();

    /** An error code as a value, for a module whose refusals need no enum of their own. */
    record Of(String code, String title, int status) implements ErrorCode {
    }

    /** An enum of refusals: each constant carries its code, title and status as one {@link Of}. */
    interface OfEnum extends ErrorCode {

        Of value();

        @Override
        default String code() {
            return value().code();
        }

        @Override
        default String title() {
            return value().title();
        }

        @Override
        default int status() {
            return value().status();
        }
    }
}
