package io.wavestore.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.Role;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClaimMappingTest {

    final ClaimMapping mapping = new ClaimMapping("roles", "groups", Set.of("admin", "store-admin"), Set.of("visitor"));

    @Test
    void adminRolesWinOverVisitorRoles() throws Exception {
        Caller caller = mapping.caller(Map.of("sub", "u1", "name", "Ada", "roles", List.of("visitor", "store-admin"),
                "groups", List.of("ops")));
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
        assertThat(caller.name()).isEqualTo("Ada");
        assertThat(caller.claimRoles()).containsExactlyInAnyOrder("visitor", "store-admin");
        assertThat(caller.groups()).containsExactly("ops");
        assertThat(caller.development()).isFalse();
    }

    @Test
    void visitorsAndFullUsers() throws Exception {
        assertThat(mapping.caller(Map.of("sub", "u2", "roles", List.of("visitor", "partner"))).role()).isEqualTo(Role.VISITOR);
        Caller plain = mapping.caller(Map.of("sub", "u3", "preferred_username", "pat"));
        assertThat(plain.role()).isEqualTo(Role.FULL_USER);
        assertThat(plain.name()).isEqualTo("pat");
        assertThat(plain.claimRoles()).isEmpty();
    }

    @Test
    void nestedClaimsAndSpaceSeparatedStrings() throws Exception {
        ClaimMapping keycloak = new ClaimMapping("realm_access.roles", "https://example.com/groups", Set.of("admin"), Set.of());
        Caller caller = keycloak.caller(Map.of("sub", "u4", "realm_access", Map.of("roles", List.of("admin")),
                "https://example.com/groups", "a b,c"));
        assertThat(caller.role()).isEqualTo(Role.ADMIN);
        assertThat(caller.groups()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(caller.name()).isEqualTo("u4");
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        assertThatThrownBy(() -> mapping.caller(Map.of("name", "x"))).isInstanceOf(AuthenticationException.class);
    }
}
