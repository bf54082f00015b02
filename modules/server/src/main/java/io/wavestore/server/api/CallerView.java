package io.wavestore.server.api;

import io.wavestore.identity.Caller;
import java.util.List;

/** {@code GET /api/v1/me}: who the store thinks you are; {@code development} warns that no real sign-in is on. */
public record CallerView(String id, String name, String role, boolean signedIn, List<String> roles, List<String> groups,
        boolean development) {

    public static CallerView of(Caller caller) {
        return new CallerView(caller.id(), caller.name(), caller.role().name(), caller.signedIn(),
                caller.claimRoles().stream().sorted().toList(), caller.groups().stream().sorted().toList(),
                caller.development());
    }
}
