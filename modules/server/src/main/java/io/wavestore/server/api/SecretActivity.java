package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import io.wavestore.activity.Actor;
import io.wavestore.activity.Subject;
import io.wavestore.identity.Caller;
import io.wavestore.scheduler.secrets.StoredSecret;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** Secret changes in the activity history: the secret's name, scope, app and key names, never a value. */
public final class SecretActivity implements SecretChanges {

    private final ActivityFacts facts;

    public SecretActivity(ActorSystem<?> system) {
        this.facts = new ActivityFacts(system);
    }

    @Override
    public void created(Caller by, StoredSecret secret) {
        record(by, ActivityKind.SECRET_SET, secret, "created");
    }

    @Override
    public void replaced(Caller by, StoredSecret secret) {
        record(by, ActivityKind.SECRET_SET, secret, "replaced");
    }

    @Override
    public void deleted(Caller by, StoredSecret secret) {
        record(by, ActivityKind.SECRET_DELETED, secret, "deleted");
    }

    private void record(Caller by, ActivityKind kind, StoredSecret secret, String change) {
        facts.other(Actor.user(by.id()), kind, new Subject(Subject.Type.SECRET, secret.id()), Map.of(
                "change", change,
                "name", secret.name(),
                "scope", secret.scope().name(),
                "app", secret.app().orElse(""),
                "keys", String.join(",", secret.keys())));
    }
}
