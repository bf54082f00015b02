package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Who the store thinks the client is ({@code GET /me}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Caller(String id, String name, String role, boolean signedIn, List<String> roles, List<String> groups,
        boolean development, String authenticatedBy) {

    public Caller {
        roles = roles == null ? List.of() : List.copyOf(roles);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
