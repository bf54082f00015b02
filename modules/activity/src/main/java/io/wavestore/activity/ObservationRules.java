package io.wavestore.activity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Whether an observation of an instance is news to its history, and the fact it makes if so. */
final class ObservationRules {

    private ObservationRules() {
    }

    static Optional<ActivityFact> factOf(InstanceObservation o, InstanceKnowledge known) {
        return switch (o.type()) {
            case PRESENT -> present(o, known);
            case REMOVED -> known.present()
                    ? Optional.of(fact(o, ActivityKind.RELEASE_REMOVED_OUTSIDE, Actor.KUBERNETES, Map.of()))
                    : Optional.empty();
            case HEALTH -> health(o, known);
            case CLEANED_UP -> Optional.of(fact(o, ActivityKind.INSTANCE_FAILED, Actor.STORE,
                    Map.of("reason", o.failure() == null ? "cannot run" : o.failure(), "message", nullToEmpty(o.message()),
                            "removed", "true")));
        };
    }

    private static Optional<ActivityFact> present(InstanceObservation o, InstanceKnowledge known) {
        Map<String, String> state = Map.of("suspended", Boolean.toString(o.suspended()), "visibility", o.visibility());
        if (!known.present()) {
            return Optional.of(fact(o, ActivityKind.RELEASE_INSTALLED_OUTSIDE, Actor.KUBERNETES, state));
        }
        Map<String, String> changed = new LinkedHashMap<>();
        if (!o.appVersion().equals(known.appVersion())) {
            changed.put("from_version", String.valueOf(known.appVersion()));
        }
        if (o.suspended() != known.suspended()) {
            changed.put("from_suspended", Boolean.toString(known.suspended()));
        }
        if (!o.visibility().equals(known.visibility())) {
            changed.put("from_visibility", String.valueOf(known.visibility()));
        }
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        changed.putAll(state);
        return Optional.of(fact(o, ActivityKind.RELEASE_CHANGED_OUTSIDE, Actor.KUBERNETES, changed));
    }

    private static Optional<ActivityFact> health(InstanceObservation o, InstanceKnowledge known) {
        if (o.failure() != null && !o.failure().equals(known.failure())) {
            return Optional.of(fact(o, ActivityKind.INSTANCE_FAILED, Actor.KUBERNETES,
                    Map.of("reason", o.failure(), "message", nullToEmpty(o.message()),
                            "restarts", Integer.toString(o.restarts()))));
        }
        if (o.restarts() > known.restarts()) {
            return Optional.of(fact(o, ActivityKind.INSTANCE_RESTARTED, Actor.KUBERNETES,
                    Map.of("restarts", Integer.toString(o.restarts()))));
        }
        return Optional.empty();
    }

    private static ActivityFact fact(InstanceObservation o, ActivityKind kind, Actor actor, Map<String, String> details) {
        return new ActivityFact(o.id(), o.at(), kind, actor, Subject.instance(o.instanceId()), o.instanceId(), o.appName(),
                o.appVersion(), o.ownerId(), details, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
