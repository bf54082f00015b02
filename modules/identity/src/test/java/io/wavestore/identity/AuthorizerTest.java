package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The app rules for every kind of caller x app visibility x action, against a table written out by hand
 * (InstanceAccessTest has the same table for instances). Letters: S see, M manage, U upload, T administer tags,
 * I start an instance of it; "-" nothing. Columns: PRIVATE, ALL_USERS, PUBLIC. The app is owned by "olga" and
 * carries a tag whose visitor roles are {partner}.
 */
class AuthorizerTest {

    static final Map<String, Caller> CALLERS = Map.of(
            "owner", caller("olga", Role.FULL_USER, Set.of()),
            "other-full-user", caller("pat", Role.FULL_USER, Set.of()),
            "admin", caller("ada", Role.ADMIN, Set.of()),
            "visitor-with-tag-role", caller("vic", Role.VISITOR, Set.of("partner")),
            "visitor", caller("val", Role.VISITOR, Set.of("guest")),
            "anonymous", Caller.anonymous());

    static final Map<String, String[]> TABLE = Map.of(
            "owner", new String[] {"SMUI", "SMUI", "SMUI"},
            "other-full-user", new String[] {"U", "SUI", "SUI"},
            "admin", new String[] {"SMUTI", "SMUTI", "SMUTI"},
            "visitor-with-tag-role", new String[] {"-", "SI", "SI"},
            "visitor", new String[] {"-", "-", "SI"},
            "anonymous", new String[] {"-", "-", "S"});

    static Stream<Arguments> everyCallerVisibilityAndAction() {
        List<Arguments> cases = new ArrayList<>();
        TABLE.forEach((who, row) -> {
            for (Visibility visibility : Visibility.values()) {
                for (char action : "SMUTI".toCharArray()) {
                    cases.add(Arguments.of(who, visibility, action, row[visibility.ordinal()].indexOf(action) >= 0));
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} / {1} app / {2}: {3}")
    @MethodSource("everyCallerVisibilityAndAction")
    void appRules(String who, Visibility visibility, char action, boolean expected) {
        Caller caller = CALLERS.get(who);
        var app = new Authorizer.AppFacts("olga", visibility, List.of(Set.of("partner", "reseller")));
        boolean actual = switch (action) {
            case 'S' -> Authorizer.canSeeApp(caller, app);
            case 'M' -> Authorizer.canManageApp(caller, app.ownerId());
            case 'U' -> Authorizer.canUploadApps(caller);
            case 'T' -> Authorizer.canAdministerTags(caller);
            case 'I' -> Authorizer.canStartInstanceOf(caller, app);
            default -> throw new IllegalArgumentException("no action " + action);
        };
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void theTableHasEveryRole() {
        assertThat(CALLERS.values()).extracting(Caller::role).containsAll(List.of(Role.values()));
        assertThat(TABLE.keySet()).isEqualTo(CALLERS.keySet());
    }

    @Test
    void instanceQuestionsGetInstanceAccessAnswers() {
        for (Caller caller : CALLERS.values()) {
            for (Visibility visibility : Visibility.values()) {
                var instance = new InstanceAccess.InstanceFacts("olga", visibility, "abe");
                for (InstanceAccess.Action action : InstanceAccess.Action.values()) {
                    assertThat(Authorizer.may(caller, action, instance))
                            .isEqualTo(InstanceAccess.allows(caller, action, instance));
                }
            }
        }
    }

    @Test
    void everySignedInCallerMayHaveApiTokens() {
        CALLERS.values().forEach(c -> assertThat(Authorizer.canHaveApiTokens(c)).isEqualTo(c.signedIn()));
    }

    private static Caller caller(String id, Role role, Set<String> roles) {
        return new Caller(id, id, role, roles, Set.of(), false);
    }
}
