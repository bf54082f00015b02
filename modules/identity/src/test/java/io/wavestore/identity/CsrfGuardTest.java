package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsrfGuardTest {

    static final Caller OLGA = new Caller("olga", "Olga", Role.FULL_USER, Set.of(), Set.of(), false);
    static final Authentication SESSION = Authentication.session(OLGA, "token-1");

    @Test
    void sessionRequestsThatChangeStateNeedTheToken() {
        assertThatThrownBy(() -> CsrfGuard.check(SESSION, "POST", Optional.empty()))
                .isInstanceOf(CsrfException.class).hasMessageContaining("X-CSRF-Token");
        assertThatThrownBy(() -> CsrfGuard.check(SESSION, "delete", Optional.of("token-2")))
                .isInstanceOf(CsrfException.class).hasMessageContaining("does not match");
        assertThatCode(() -> CsrfGuard.check(SESSION, "PATCH", Optional.of("token-1"))).doesNotThrowAnyException();
    }

    @Test
    void safeMethodsAndTokenAuthenticationNeedNone() {
        assertThatCode(() -> CsrfGuard.check(SESSION, "GET", Optional.empty())).doesNotThrowAnyException();
        assertThatCode(() -> CsrfGuard.check(SESSION, "HEAD", Optional.empty())).doesNotThrowAnyException();
        for (Authentication.Method method : Set.of(Authentication.Method.BEARER, Authentication.Method.API_TOKEN,
                Authentication.Method.DEVELOPMENT)) {
            assertThatCode(() -> CsrfGuard.check(Authentication.of(OLGA, method), "POST", Optional.empty()))
                    .doesNotThrowAnyException();
        }
    }
}
