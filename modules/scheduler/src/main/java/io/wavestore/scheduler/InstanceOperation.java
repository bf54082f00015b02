package io.wavestore.scheduler;

/**
 * The changes an {@link InstanceActor} runs, one at a time per instance. The label is what an instance's view shows
 * as its operation while the change runs, and what the log says of it.
 */
enum InstanceOperation {
    START("start"),
    UPDATE("update"),
    SUSPEND("suspend"),
    RESUME("resume"),
    CHANGE_VISIBILITY("change visibility"),
    TERMINATE("terminate"),
    CLEAN_UP("clean up");

    private final String label;

    InstanceOperation(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The instance is gone once it succeeded. */
    boolean removes() {
        return this == TERMINATE || this == CLEAN_UP;
    }

    /** It starts the launcher again, whose progress then begins a new story (a visibility change does not). */
    boolean restartsLauncher() {
        return this != CHANGE_VISIBILITY;
    }
}
