package io.wavestore.scheduler.runtime;

import io.wavestore.identity.Visibility;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to rebuild an instance, as the runtime keeps it: on Kubernetes, the values of the instance's
 * Helm release; locally, a record file. Nothing else anywhere knows an instance exists.
 *
 * @param instanceId   the instance's id, a DNS label
 * @param appId        the catalog id of the app version it runs
 * @param appName      the app's name
 * @param appVersion   the app version it runs
 * @param ownerId      who started it
 * @param ownerFullUser whether they started it as a full user or admin (not a visitor): only then may it use
 *                     ALL_USERS secrets; false where a record predates it
 * @param visibility   who may use it
 * @param suspended    scaled to zero, volumes kept
 * @param createdAt    when it was first started
 * @param releaseState what the runtime says of its last change
 * @param revision     increases with every change (Helm's release version)
 * @param suspendedReason why it is suspended, when the store said so ({@code idle}: nobody used it for its timeout);
 *                     empty for a suspend by hand and for an instance that is not suspended. Kept where suspension
 *                     is kept, so that an actor rebuilt from the runtime still knows it
 */
public record InstanceRecord(
        String instanceId,
        String appId,
        String appName,
        String appVersion,
        String ownerId,
        boolean ownerFullUser,
        Visibility visibility,
        boolean suspended,
        Instant createdAt,
        ReleaseState releaseState,
        int revision,
        Optional<String> suspendedReason) {

    public InstanceRecord {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(appVersion, "appVersion");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(releaseState, "releaseState");
        // Only a suspended instance has a reason to be (a record read from before reasons were kept has none).
        suspendedReason = suspended && suspendedReason != null ? suspendedReason.filter(r -> !r.isBlank())
                : Optional.empty();
    }

    /** A record without a reason for its suspension (suspended by hand, or not suspended). */
    public InstanceRecord(String instanceId, String appId, String appName, String appVersion, String ownerId,
            boolean ownerFullUser, Visibility visibility, boolean suspended, Instant createdAt, ReleaseState releaseState,
            int revision) {
        this(instanceId, appId, appName, appVersion, ownerId, ownerFullUser, visibility, suspended, createdAt,
                releaseState, revision, Optional.empty());
    }

    /** The same instance, suspended ({@code reason} as the store says it, or none) or resumed. */
    public InstanceRecord withSuspended(boolean suspend, Optional<String> reason) {
        return new InstanceRecord(instanceId, appId, appName, appVersion, ownerId, ownerFullUser, visibility, suspend,
                createdAt, releaseState, revision, reason);
    }

    /** The state of the last change, as Helm reports a release. */
    public enum ReleaseState {
        /** The last install or upgrade was applied. */
        DEPLOYED,
        /** An install, upgrade or rollback is in progress. */
        PENDING,
        /** The last install or upgrade failed half-way. */
        FAILED,
        /** Being removed. */
        UNINSTALLING
    }
}
