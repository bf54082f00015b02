package io.wavestore.activity;

import java.time.Instant;
import java.util.Optional;

/**
 * Which rows a caller asked for, and which they may see.
 *
 * @param viewer   empty for admins (everything); else the user whose rows are shown: for a full user, what concerns
 *                 their instances and their apps (and what they did); for a visitor ({@code ownInstancesOnly}), only
 *                 the history of their own instances
 */
public record ActivityFilter(Optional<String> app, Optional<String> instance, Optional<String> user,
        Optional<Instant> since, Optional<Instant> until, Optional<String> viewer, boolean ownInstancesOnly) {

    public static ActivityFilter all() {
        return new ActivityFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }
}
