package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogAccessTest {

    static final Caller OWNER = new Caller("olga", "Olga", Role.FULL_USER, Set.of(), Set.of(), false);
    static final Caller OTHER = new Caller("pat", "Pat", Role.FULL_USER, Set.of(), Set.of(), false);
    static final Caller ADMIN = new Caller("ada", "Ada", Role.ADMIN, Set.of(), Set.of(), false);
    static final Caller VISITOR_MATCHING = new Caller("vic", "Vic", Role.VISITOR, Set.of("partner"), Set.of(), false);
    static final Caller VISITOR_OTHER = new Caller("val", "Val", Role.VISITOR, Set.of("guest"), Set.of(), false);
    static final Caller ANONYMOUS = Caller.anonymous();

    static final List<Set<String>> PARTNER_TAG = List.of(Set.of("partner", "reseller"));

    static Stream<Arguments> seeRules() {
        return Stream.of(
                // caller, visibility, tags' visitor roles, may see
                Arguments.of(OWNER, Visibility.PRIVATE, List.of(), true),
                Arguments.of(OTHER, Visibility.PRIVATE, List.of(), false),
                Arguments.of(ADMIN, Visibility.PRIVATE, List.of(), true),
                Arguments.of(VISITOR_MATCHING, Visibility.PRIVATE, PARTNER_TAG, false),
                Arguments.of(ANONYMOUS, Visibility.PRIVATE, List.of(), false),
                Arguments.of(OWNER, Visibility.ALL_USERS, List.of(), true),
                Arguments.of(OTHER, Visibility.ALL_USERS, List.of(), true),
                Arguments.of(ADMIN, Visibility.ALL_USERS, List.of(), true),
                Arguments.of(VISITOR_MATCHING, Visibility.ALL_USERS, PARTNER_TAG, true),
                Arguments.of(VISITOR_MATCHING, Visibility.ALL_USERS, List.of(), false),
                Arguments.of(VISITOR_OTHER, Visibility.ALL_USERS, PARTNER_TAG, false),
                Arguments.of(ANONYMOUS, Visibility.ALL_USERS, PARTNER_TAG, false),
                Arguments.of(OTHER, Visibility.PUBLIC, List.of(), true),
                Arguments.of(VISITOR_OTHER, Visibility.PUBLIC, List.of(), true),
                Arguments.of(ANONYMOUS, Visibility.PUBLIC, List.of(), true));
    }

    @ParameterizedTest(name = "{0} sees {1} app with tags {2}: {3}")
    @MethodSource("seeRules")
    void whoSeesWhat(Caller caller, Visibility visibility, List<Set<String>> tags, boolean expected) {
        var app = new CatalogAccess.AppFacts("olga", visibility, tags);
        assertThat(CatalogAccess.canSee(caller, app)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("callers")
    void onlyOwnerAndAdminsManage(Caller caller) {
        boolean expected = caller == OWNER || caller == ADMIN;
        assertThat(CatalogAccess.canManage(caller, "olga")).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("callers")
    void onlyFullUsersAndAdminsUpload(Caller caller) {
        boolean expected = caller.role() == Role.FULL_USER || caller.role() == Role.ADMIN;
        assertThat(CatalogAccess.canUpload(caller)).isEqualTo(expected);
        assertThat(CatalogAccess.canAdministerTags(caller)).isEqualTo(caller == ADMIN);
    }

    static Stream<Caller> callers() {
        return Stream.of(OWNER, OTHER, ADMIN, VISITOR_MATCHING, VISITOR_OTHER, ANONYMOUS);
    }
}
