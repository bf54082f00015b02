package io.wavestore.activity;

import java.util.Map;

/**
 * What an instance's history says of it after its last event: enough to tell news from a repeat (a rebuilt store
 * looking at every release again records nothing; a restart counter that did not grow is no restart), and whether the
 * instance runs (usage). It is never used to decide the instance's state: Kubernetes does.
 */
public record InstanceKnowledge(boolean present, String appVersion, boolean suspended, String visibility, int restarts,
        String failure) {

    public static final InstanceKnowledge NONE = new InstanceKnowledge(false, null, false, null, 0, null);

    public boolean running() {
        return present && !suspended;
    }

    /** The knowledge after {@code fact}, an event of this instance's history. */
    public InstanceKnowledge after(ActivityFact fact) {
        Map<String, String> d = fact.details();
        String version = fact.appVersion() != null ? fact.appVersion() : appVersion;
        return switch (fact.kind()) {
            case INSTANCE_STARTED -> new InstanceKnowledge(true, version, false, d.getOrDefault("visibility", visibility), 0, null);
            case INSTANCE_SUSPENDED -> new InstanceKnowledge(present, version, true, visibility, 0, null);
            case INSTANCE_RESUMED -> new InstanceKnowledge(present, version, false, visibility, 0, null);
            case INSTANCE_UPDATED -> new InstanceKnowledge(present, version, suspended, visibility, 0, null);
            case INSTANCE_VISIBILITY_CHANGED ->
                    new InstanceKnowledge(present, version, suspended, d.getOrDefault("visibility", visibility), restarts, failure);
            case INSTANCE_TERMINATED, RELEASE_REMOVED_OUTSIDE -> new InstanceKnowledge(false, version, suspended, visibility, 0, null);
            case INSTANCE_FAILED -> "true".equals(d.get("removed"))
                    ? new InstanceKnowledge(false, version, suspended, visibility, 0, null)
                    : new InstanceKnowledge(present, version, suspended, visibility,
                            Integer.parseInt(d.getOrDefault("restarts", Integer.toString(restarts))), d.get("reason"));
            case INSTANCE_RESTARTED -> new InstanceKnowledge(present, version, suspended, visibility,
                    Integer.parseInt(d.getOrDefault("restarts", "0")), null);
            case RELEASE_INSTALLED_OUTSIDE, RELEASE_CHANGED_OUTSIDE -> new InstanceKnowledge(true, version,
                    Boolean.parseBoolean(d.getOrDefault("suspended", "false")), d.getOrDefault("visibility", visibility), 0, null);
            default -> this;
        };
    }
}
