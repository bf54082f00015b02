package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.identity.InstanceAccess.Action;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of caller x instance visibility x action, against the rules written out as a table. */
class InstanceAccessTest {

    static final Caller OWNER = user("olga", Role.FULL_USER);
    static final Caller APP_OWNER = user("abe", Role.FULL_USER);
    static final Caller OTHER = user("pat", Role.FULL_USER);
    static final Caller ADMIN = user("ada", Role.ADMIN);
    static final Caller VISITOR_OWNER = user("olga", Role.VISITOR);
    static final Caller VISITOR = user("vic", Role.VISITOR);
    static final Caller ANONYMOUS = Caller.anonymous();

    static final Set<Action> ALL = EnumSet.allOf(Action.class);
    static final Set<Action> NONE = EnumSet.noneOf(Action.class);

    /** caller, visibility, the actions allowed. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (Visibility v : Visibility.values()) {
            boolean anyone = v == Visibility.PUBLIC;
            boolean users = v != Visibility.PRIVATE;
            rows.add(Arguments.of("owner", OWNER, v, ALL));
            rows.add(Arguments.of("visitor owner", VISITOR_OWNER, v, EnumSet.complementOf(EnumSet.of(Action.VIEW_LOGS))));
            rows.add(Arguments.of("app owner", APP_OWNER, v, with(EnumSet.of(Action.VIEW_STATUS, Action.VIEW_LOGS), users)));
            rows.add(Arguments.of("other user", OTHER, v, with(NONE, users)));
            rows.add(Arguments.of("admin", ADMIN, v,
                    with(EnumSet.of(Action.VIEW_STATUS, Action.VIEW_LOGS, Action.MANAGE, Action.TERMINATE), users)));
            rows.add(Arguments.of("visitor", VISITOR, v, with(NONE, anyone)));
            rows.add(Arguments.of("anonymous", ANONYMOUS, v, with(NONE, anyone)));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} on a {2} instance")
    @MethodSource("table")
    void rules(String who, Caller caller, Visibility visibility, Set<Action> allowed) {
        var instance = new InstanceAccess.InstanceFacts("olga", visibility, "abe");
        for (Action action : Action.values()) {
            assertThat(InstanceAccess.allows(caller, action, instance))
                    .as("%s %s on a %s instance", who, action, visibility)
                    .isEqualTo(allowed.contains(action));
        }
    }

    private static Set<Action> with(Set<Action> actions, boolean openUi) {
        Set<Action> result = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
        if (openUi) {
            result.add(Action.OPEN_UI);
        }
        return result;
    }

    private static Caller user(String id, Role role) {
        return new Caller(id, id, role, Set.of(), Set.of(), false);
    }
}
