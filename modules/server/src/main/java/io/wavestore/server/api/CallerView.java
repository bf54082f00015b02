package io.wavestore.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.Caller;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/v1/me}: who the store thinks you are; {@code development} warns that no real sign-in is on.
 * {@code authenticatedBy} says how the request proved it ({@code none}, {@code development}, {@code session},
 * {@code bearer}, {@code api_token}); {@code csrfToken}, only for a browser session, is what state-changing requests
 * made with the session cookie send back in {@code X-CSRF-Token}.
 */
public record CallerView(String id, String name, String role, boolean signedIn, List<String> roles, List<String> groups,
        boolean development, String authenticatedBy, @JsonInclude(JsonInclude.Include.NON_NULL) String csrfToken) {

    public static CallerView of(Authentication authentication) {
        Caller caller = authentication.caller();
        return new CallerView(caller.id(), caller.name(), caller.role().name(), caller.signedIn(),
                caller.claimRoles().stream().sorted().toList(), caller.groups().stream().sorted().toList(),
                caller.development(), authentication.method().name().toLowerCase(Locale.ROOT),
                authentication.csrfToken().orElse(null));
    }
}
