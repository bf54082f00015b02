package io.wavestore.activity;

import io.wavestore.scheduler.CborSerializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One thing that happened: what, to which subject, by whom, when, with its details (never a secret's value).
 *
 * @param id          unique per fact: a retried record of the same fact is written once
 * @param instanceId  the instance it concerns, if any
 * @param appName     the app it concerns, if any
 * @param appVersion  the app version it concerns (for an instance: the version it runs after the fact)
 * @param ownerId     the instance's owner, or the app version's owner
 * @param running     for instance facts: whether the instance runs after it, set by the history (usage); else null
 */
public record ActivityFact(
        String id,
        Instant at,
        ActivityKind kind,
        Actor actor,
        Subject subject,
        String instanceId,
        String appName,
        String appVersion,
        String ownerId,
        Map<String, String> details,
        Boolean running) implements CborSerializable {

    public ActivityFact {
        Objects.requireNonNull(id, "id");
        // PostgreSQL keeps microseconds and rounds the rest: a fact carries the time it will be read back with.
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(subject, "subject");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** A fact about an instance. */
    public static ActivityFact ofInstance(Instant at, ActivityKind kind, Actor actor, String instanceId, String appName,
            String appVersion, String ownerId, Map<String, String> details) {
        return new ActivityFact(UUID.randomUUID().toString(), at, kind, actor, Subject.instance(instanceId), instanceId,
                appName, appVersion, ownerId, details, null);
    }

    /** A fact about an app version. */
    public static ActivityFact ofApp(Instant at, ActivityKind kind, Actor actor, String appName, String appVersion,
            String ownerId, Map<String, String> details) {
        return new ActivityFact(UUID.randomUUID().toString(), at, kind, actor, Subject.app(appName), null, appName,
                appVersion, ownerId, details, null);
    }

    /** A fact about something else: a tag, an alias, a token, a secret. */
    public static ActivityFact of(Instant at, ActivityKind kind, Actor actor, Subject subject, Map<String, String> details) {
        return new ActivityFact(UUID.randomUUID().toString(), at, kind, actor, subject, null, null, null, null, details, null);
    }

    ActivityFact withRunning(Boolean runs) {
        return new ActivityFact(id, at, kind, actor, subject, instanceId, appName, appVersion, ownerId, details, runs);
    }
}
