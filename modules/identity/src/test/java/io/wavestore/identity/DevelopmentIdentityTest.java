package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DevelopmentIdentityTest {

    final DevelopmentIdentity identity = new DevelopmentIdentity("developer", Role.ADMIN);

    @Test
    void withoutHeadersEveryoneIsTheDevelopmentUser() throws Exception {
        Caller caller = identity.resolve(new RequestCredentials(Map.of(), Map.of()));
        assertThat(caller.id()).isEqualTo("developer");
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
        assertThat(caller.development()).isTrue();
        assertThat(identity.isDevelopment()).isTrue();
    }

    @Test
    void headersNameAnotherUser() throws Exception {
        Caller caller = identity.resolve(new RequestCredentials(Map.of(
                "x-dev-user", "vic", "x-dev-role", "visitor", "x-dev-roles", "partner, guest", "x-dev-groups", "sales"),
                Map.of()));
        assertThat(caller.id()).isEqualTo("vic");
        assertThat(caller.role()).isEqualTo(Role.VISITOR);
        assertThat(caller.claimRoles()).containsExactlyInAnyOrder("partner", "guest");
        assertThat(caller.groups()).isEqualTo(Set.of("sales"));
    }

    @Test
    void anonymousIsNotSignedIn() throws Exception {
        Caller caller = identity.resolve(new RequestCredentials(Map.of("x-dev-user", "anonymous"), Map.of()));
        assertThat(caller.signedIn()).isFalse();
    }

    @Test
    void badUserNamesAreRefused() {
        assertThatThrownBy(() -> identity.resolve(new RequestCredentials(Map.of("x-dev-user", "a b/c"), Map.of())))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("X-Dev-User");
    }

    @Test
    void malformedHeadersAreRefusedNamingTheHeader() {
        assertThat(refusal(Map.of("x-dev-user", "a b/c"))).isEqualTo("X-Dev-User");
        assertThat(refusal(Map.of("x-dev-user", "vic", "x-dev-role", "root"))).isEqualTo("X-Dev-Role");
        assertThat(refusal(Map.of("x-dev-user", "vic", "x-dev-role", "anonymous"))).isEqualTo("X-Dev-Role");
        assertThat(refusal(Map.of("x-dev-user", "vic", "x-dev-roles", "ok, bad\u0000role"))).isEqualTo("X-Dev-Roles");
        assertThat(refusal(Map.of("x-dev-user", "vic", "x-dev-groups", "x".repeat(129)))).isEqualTo("X-Dev-Groups");
    }

    private String refusal(Map<String, String> headers) {
        try {
            identity.resolve(new RequestCredentials(headers, Map.of()));
            throw new AssertionError("accepted " + headers);
        } catch (AuthenticationException e) {
            return e.invalidHeader().orElseThrow();
        }
    }

    @Test
    void unknownRolesAreRefusedClearly() {
        assertThatThrownBy(() -> DevelopmentIdentity.parseRole("root"))
                .hasMessageContaining("unknown role 'root'");
        assertThat(DevelopmentIdentity.parseRole("full-user")).isEqualTo(Role.FULL_USER);
    }
}
