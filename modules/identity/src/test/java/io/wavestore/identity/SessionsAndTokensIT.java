package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.identity.session.Sessions;
import io.wavestore.identity.token.ApiTokenException;
import io.wavestore.identity.token.ApiTokenIdentity;
import io.wavestore.identity.token.ApiTokens;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The session and API token tables on a real PostgreSQL, migrated by the store's migrations (modules/database). */
@ExtendWith(PostgresExtension.class)
class SessionsAndTokensIT {

    static Jdbi jdbi;
    static final Caller OLGA = new Caller("olga", "Olga", Role.FULL_USER, Set.of("partner"), Set.of("sales"), false);

    @BeforeAll
    static void migrate(TestDatabase db) {
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration").load()
                .migrate();
        jdbi = Jdbi.create(db.url(), db.user(), db.password())
                .installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    static Sessions.Grant grant(String claims, Instant accessExpires, String refreshToken) {
        return new Sessions.Grant(claims, Optional.ofNullable(refreshToken), Optional.of("id-token"), accessExpires);
    }

    @Test
    void sessionsRefreshOnceAtATimeAndEndWhenTheProviderRefuses() throws Exception {
        Sessions sessions = new Sessions(jdbi, Clock.systemUTC(), Duration.ofHours(8));
        Sessions.Created created = sessions.create("olga", grant("{\"sub\":\"olga\"}", Instant.now().minusSeconds(1), "v1.sealed"));
        assertThat(created.id()).isNotEqualTo(created.csrfToken());

        // Many requests at once find the access token expired; the provider is asked once.
        AtomicInteger calls = new AtomicInteger();
        Sessions.Refresher slowProvider = (sealed, claims) -> {
            calls.incrementAndGet();
            assertThat(sealed).isEqualTo("v1.sealed");
            sleep(300);
            return Optional.of(grant("{\"sub\":\"olga\",\"n\":2}", Instant.now().plusSeconds(300), "v1.rotated"));
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Sessions.Active>>> answers = pool.invokeAll(List.of(
                    () -> sessions.find(created.id(), slowProvider), () -> sessions.find(created.id(), slowProvider),
                    () -> sessions.find(created.id(), slowProvider), () -> sessions.find(created.id(), slowProvider)));
            for (Future<Optional<Sessions.Active>> answer : answers) {
                assertThat(answer.get().orElseThrow().claims().replace(" ", "")).contains("\"n\":2");
            }
        } finally {
            pool.shutdown();
        }
        assertThat(calls).hasValue(1);

        // Unreachable provider: the session goes on as it is, and is not asked again at once.
        Sessions.Created second = sessions.create("olga", grant("{\"sub\":\"olga\"}", Instant.now().minusSeconds(1), "v1.x"));
        assertThat(sessions.find(second.id(), (s, c) -> {
            throw new IOException("connection refused");
        })).isPresent();
        assertThat(sessions.find(second.id(), (s, c) -> {
            throw new AssertionError("asked again too soon");
        })).isPresent();

        // The provider refuses the refresh token: signed out.
        Sessions.Created third = sessions.create("olga", grant("{\"sub\":\"olga\"}", Instant.now().minusSeconds(1), "v1.y"));
        assertThat(sessions.find(third.id(), (s, c) -> Optional.empty())).isEmpty();
        assertThat(sessions.peek(third.id())).isEmpty();

        // Without a refresh token a session lives until its own expiry.
        Sessions.Created fourth = sessions.create("olga", grant("{\"sub\":\"olga\"}", Instant.now().minusSeconds(1), null));
        assertThat(sessions.find(fourth.id(), (s, c) -> {
            throw new AssertionError("nothing to refresh with");
        })).isPresent();
        assertThat(sessions.delete(fourth.id())).isTrue();
        assertThat(sessions.find(fourth.id(), (s, c) -> Optional.empty())).isEmpty();
        assertThat(sessions.find("no-such-session", (s, c) -> Optional.empty())).isEmpty();
    }

    @Test
    void expiredSessionsAreGone() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(9)), ZoneOffset.UTC);
        Sessions.Created old = new Sessions(jdbi, past, Duration.ofHours(8)).create("olga",
                grant("{\"sub\":\"olga\"}", Instant.now().plusSeconds(60), null));
        assertThat(new Sessions(jdbi, Clock.systemUTC(), Duration.ofHours(8)).peek(old.id())).isEmpty();
    }

    @Test
    void apiTokensAreStoredHashedActAsTheirOwnerAndFollowTheirRoles() throws Exception {
        ApiTokens tokens = new ApiTokens(jdbi, Clock.systemUTC(), false);
        ApiTokens.Issued issued = tokens.create(OLGA, " laptop ", Optional.empty());
        assertThat(issued.token()).startsWith("wst_");
        assertThat(issued.row().name()).isEqualTo("laptop");
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM api_tokens WHERE id = :id")
                .bind("id", issued.row().id()).mapTo(String.class).one());
        assertThat(stored).isEqualTo(Secrets.sha256(issued.token())).doesNotContain(issued.token());

        CallerResolver resolver = new ApiTokenIdentity(credentials -> Authentication.anonymous(), tokens);
        Authentication auth = resolver.authenticate(bearer(issued.token()));
        assertThat(auth.method()).isEqualTo(Authentication.Method.API_TOKEN);
        assertThat(auth.caller()).isEqualTo(OLGA);
        assertThatThrownBy(() -> resolver.authenticate(bearer("wst_unknown"))).isInstanceOf(AuthenticationException.class);
        assertThat(resolver.authenticate(bearer("eyJ.not.ours")).method()).isEqualTo(Authentication.Method.NONE);

        // Olga signs in again as an admin: her tokens act as an admin from now on.
        tokens.refreshOwner(new Caller("olga", "Olga B.", Role.ADMIN, Set.of("admin"), Set.of(), false));
        assertThat(tokens.resolve(issued.token()).orElseThrow().role()).isEqualTo(Role.ADMIN);

        assertThat(tokens.list("olga")).extracting(r -> r.lastUsedAt() != null).containsExactly(true);
        assertThat(tokens.revoke("pat", issued.row().id())).as("only the owner revokes").isFalse();
        assertThat(tokens.revoke("olga", issued.row().id())).isTrue();
        assertThat(tokens.resolve(issued.token())).isEmpty();

        assertThatThrownBy(() -> tokens.create(OLGA, "x", Optional.of(Instant.now().minusSeconds(1))))
                .isInstanceOf(ApiTokenException.class).hasMessageContaining("expiresAt");
        // Expiry by the store's clock, not by how fast this machine runs: a token valid for a minute, then read
        // through a clock set after that minute.
        Instant issuedAt = Instant.now();
        ApiTokens.Issued shortLived = tokens.create(OLGA, "short", Optional.of(issuedAt.plusSeconds(60)));
        assertThat(tokens.resolve(shortLived.token())).isPresent();
        ApiTokens later = new ApiTokens(jdbi, Clock.fixed(issuedAt.plusSeconds(61), ZoneOffset.UTC), false);
        assertThat(later.resolve(shortLived.token())).as("expired").isEmpty();
    }

    @Test
    void developmentTokensOnlyWorkUnderTheDevelopmentIdentity() {
        Caller dev = new Caller("developer", "developer", Role.ADMIN, Set.of(), Set.of(), true);
        String token = new ApiTokens(jdbi, Clock.systemUTC(), true).create(dev, "dev", Optional.empty()).token();
        assertThat(new ApiTokens(jdbi, Clock.systemUTC(), true).resolve(token)).isPresent();
        assertThat(new ApiTokens(jdbi, Clock.systemUTC(), false).resolve(token)).isEmpty();
    }

    static RequestCredentials bearer(String token) {
        return new RequestCredentials(Map.of("authorization", "Bearer " + token), Map.of());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
