package io.wavestore.scheduler.helm;

import io.wavestore.scheduler.runtime.InstanceRecord;
import java.util.Map;
import java.util.Optional;

/**
 * The few fields of a Helm release the store reads, from one release Secret.
 *
 * @param name      the release name
 * @param version   the revision (1, 2, ...)
 * @param status    Helm's status: deployed, superseded, failed, pending-install, pending-upgrade,
 *                  pending-rollback, uninstalling, uninstalled, unknown
 * @param chartName the chart's name ({@code chart.metadata.name})
 * @param config    the user-supplied values
 */
public record HelmRelease(String name, int version, String status, String chartName, Map<String, Object> config) {

    /**
     * What the store makes of a release's status; empty for a release that counts as gone (uninstalled with
     * {@code --keep-history}) or as history (superseded).
     */
    public Optional<InstanceRecord.ReleaseState> state() {
        return switch (status) {
            case "deployed" -> Optional.of(InstanceRecord.ReleaseState.DEPLOYED);
            case "pending-install", "pending-upgrade", "pending-rollback" ->
                    Optional.of(InstanceRecord.ReleaseState.PENDING);
            case "uninstalling" -> Optional.of(InstanceRecord.ReleaseState.UNINSTALLING);
            // "unknown" is what Helm calls a release in a state it cannot tell: the store treats it as failed.
            case "failed", "unknown" -> Optional.of(InstanceRecord.ReleaseState.FAILED);
            default -> Optional.empty();
        };
    }

    /** The instance this release keeps, when it is one of the instance chart with a record in its values. */
    public Optional<InstanceRecord> record() {
        if (!HelmRuntime.CHART_NAME.equals(chartName)) {
            return Optional.empty();
        }
        return state().flatMap(s -> InstanceValues.record(name, config, s, version));
    }
}
