package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.function.LongFunction;

/**
 * Who a virtual user is and which replica it talks to. The stores run with the development identity, so a user is
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

    private static ChainBuilder as(LongFunction<String> name) {
        return exec(session -> {
            String base = Settings.baseFor(session.userId());
            return session.set("user", name.apply(session.userId()))
                    .set("role", "full-user")
                    .set("base", base)
                    .set("wsBase", base.replaceFirst("^http", "ws"));
        });
    }
}
