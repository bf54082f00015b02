package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.identity.Authentication;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.identity.Role;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class StoreCallerTest {

    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicLong now = new AtomicLong();
    private final StoreCaller callers = new StoreCaller(new CallerResolver() {
        @Override
        public Authentication authenticate(RequestCredentials credentials) throws AuthenticationException {
            asked.incrementAndGet();
            String session = credentials.cookies().get("wavestore_session");
            if (session == null) {
                return Authentication.anonymous();
            }
            if (session.equals("bad")) {
                throw new AuthenticationException("bad session");
            }
            return Authentication.of(new Caller(session, session, Role.FULL_USER, Set.of(), Set.of(), false),
                    Authentication.Method.BEARER);
        }
    }, io.wavestore.identity.AppPasses.none(), Runnable::run, List.of("x-dev-user"), Duration.ofSeconds(5), now::get);

    private Caller resolve(String cookie) {
        HttpRequest request = HttpRequest.GET("/instance/i-1/");
        if (cookie != null) {
            request = request.addHeader(RawHeader.create("Cookie", cookie));
        }
        return callers.resolve(request).toCompletableFuture().join();
    }

    @Test
    void remembersASignedInCallerForAFewSeconds() {
        assertThat(resolve("wavestore_session=olga").id()).isEqualTo("olga");
        assertThat(resolve("wavestore_session=olga").id()).isEqualTo("olga");
        assertThat(asked).hasValue(1);
        assertThat(resolve("wavestore_session=boris").id()).isEqualTo("boris");
        assertThat(asked).hasValue(2);
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        resolve("wavestore_session=olga");
        assertThat(asked).hasValue(3);
    }

    @Test
    void neverRemembersAnonymousCallersOrRefusals() {
        resolve(null);
        resolve(null);
        assertThat(asked).hasValue(2);
        assertThatThrownBy(() -> resolve("wavestore_session=bad")).hasRootCauseInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> resolve("wavestore_session=bad")).hasRootCauseInstanceOf(AuthenticationException.class);
        assertThat(asked).hasValue(4);
    }
}
