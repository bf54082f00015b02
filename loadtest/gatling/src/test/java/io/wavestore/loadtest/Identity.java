package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Who a virtual user is and which replica it talks to (the next one for each new user of a kind). The stores run with the development identity, so a user is
 * whoever the {@code X-Dev-User} and {@code X-Dev-Role} headers say (the HTTP protocol sends both on every request).
 */
final class Identity {

    /** How many different people browse: virtual users reuse these names, as people come back during a day. */
    private static final int PEOPLE = 200;

    private Identity() {
    }

    /** A full user among {@link #PEOPLE} named {@code prefix + n}. */
    static ChainBuilder visitor(String prefix) {
        return as(userId -> prefix + (userId % PEOPLE));
    }

    /** A full user of its own ({@code prefix + userId}): for people whose instances and apps must not collide. */
    static ChainBuilder owner(String prefix) {
        return as(userId -> prefix + userId);
    }

    /** Each kind of user is dealt over the replicas in turn on its own, so that a few instance users spread too. */
    private static ChainBuilder as(LongFunction<String> name) {
        AtomicLong arrivals = new AtomicLong();
        return exec(session -> {
            String base = Settings.baseFor(arrivals.getAndIncrement());
            return session.set("user", name.apply(session.userId()))
                    .set("role", "full-user")
                    .set("base", base)
                    // Apps are on an origin apart from the store's: the local cluster's apps domain is "localhost".
                    .set("appsBase", base.replace("://127.0.0.1:", "://localhost:"))
                    .set("wsBase", base.replace("://127.0.0.1:", "://localhost:").replaceFirst("^http", "ws"));
        });
    }
}
