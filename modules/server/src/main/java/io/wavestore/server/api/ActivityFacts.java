package io.wavestore.server.api;

import io.wavestore.activity.ActivityFact;
import io.wavestore.activity.ActivityKind;
import io.wavestore.activity.ActivityLog;
import io.wavestore.activity.Actor;
import io.wavestore.activity.Subject;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.identity.Caller;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * What the API routes tell the activity history once a change succeeded: who (the caller, or their personal API token),
 * what, and the details (names, never a secret's value). Handing over returns at once and never fails the request.
 */
final class ActivityFacts {

    private final ActivityLog log;

    ActivityFacts(ActorSystem<?> system) {
        this.log = ActivityLog.get(system);
    }

    /** The caller as the history names them: a request with a personal API token ({@code wst_...}) is the token's. */
    static Actor actor(Caller caller, HttpRequest request) {
        boolean token = request.getHeader("Authorization")
                .map(h -> h.value().regionMatches(true, 0, "Bearer wst_", 0, "Bearer wst_".length())).orElse(false);
        return token ? Actor.token(caller.id()) : Actor.user(caller.id());
    }

    void instance(Actor actor, ActivityKind kind, InstanceRecord r, Map<String, String> details) {
        log.record(ActivityFact.ofInstance(log.clock().instant(), kind, actor, r.instanceId(), r.appName(), r.appVersion(),
                r.ownerId(), details));
    }

    void app(Actor actor, ActivityKind kind, AppVersion app, Map<String, String> details) {
        log.record(ActivityFact.ofApp(log.clock().instant(), kind, actor, app.name(), app.version(), app.ownerId(), details));
    }

    void other(Actor actor, ActivityKind kind, Subject subject, Map<String, String> details) {
        log.record(ActivityFact.of(log.clock().instant(), kind, actor, subject, details));
    }
}
