package io.wavestore.scheduler.helm;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Instance specs for the Helm tests. */
final class TestSpecs {

    static final Instant CREATED = Instant.parse("2026-11-25T07:00:00Z");
    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String TOKEN = "wst.i-test.c2VjcmV0LXRva2Vu";

    private TestSpecs() {
    }

    static InstanceRecord record(String id) {
        return new InstanceRecord(id, "17", "io.wavestore.hello-wave", "0.1.0", "olga@example.com", true, Visibility.ALL_USERS,
                false, CREATED, InstanceRecord.ReleaseState.DEPLOYED, 0);
    }

    /** A Wave app with resources, no volumes, no GPU. */
    static RuntimeSection runtime() {
        return new RuntimeSection(Optional.of("app"), Optional.empty(), Optional.of("512Mi"), Optional.of("256Mi"),
                Optional.of("1"), Optional.of("250m"), 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, false, RoutingMode.BASE_URL, AppMode.WAVE, Optional.empty(), Optional.empty());
    }

    static RuntimeSection withVolumes(RuntimeSection r, String mount, String size, String resourceSize) {
        return new RuntimeSection(r.module(), r.runtimeVersion(), r.memoryLimit(), r.memoryReservation(), r.cpuLimit(),
                r.cpuReservation(), r.gpuCount(), r.gpuType(), Optional.ofNullable(mount), Optional.ofNullable(size),
                Optional.ofNullable(resourceSize), r.enableOidc(), r.enableShm(), r.routingMode(), r.appMode(), r.port(),
                r.entryRoute());
    }

    static RuntimeSection withGpu(RuntimeSection r, int count, String type) {
        return new RuntimeSection(r.module(), r.runtimeVersion(), r.memoryLimit(), r.memoryReservation(), r.cpuLimit(),
                r.cpuReservation(), count, Optional.ofNullable(type), r.volumeMount(), r.volumeSize(),
                r.resourceVolumeSize(), r.enableOidc(), r.enableShm(), r.routingMode(), r.appMode(), r.port(),
                r.entryRoute());
    }

    static RuntimeSection withShm(RuntimeSection r) {
        return new RuntimeSection(r.module(), r.runtimeVersion(), r.memoryLimit(), r.memoryReservation(), r.cpuLimit(),
                r.cpuReservation(), r.gpuCount(), r.gpuType(), r.volumeMount(), r.volumeSize(), r.resourceVolumeSize(),
                r.enableOidc(), true, r.routingMode(), r.appMode(), r.port(),
                r.entryRoute());
    }

    static RuntimeSection python(RuntimeSection r, int port) {
        return new RuntimeSection(r.module(), r.runtimeVersion(), r.memoryLimit(), r.memoryReservation(), r.cpuLimit(),
                r.cpuReservation(), r.gpuCount(), r.gpuType(), r.volumeMount(), r.volumeSize(), r.resourceVolumeSize(),
                r.enableOidc(), r.enableShm(), r.routingMode(), AppMode.PYTHON, Optional.of(port), r.entryRoute());
    }

    static RuntimeSection withMemoryLimit(RuntimeSection r, String memory) {
        return new RuntimeSection(r.module(), r.runtimeVersion(), Optional.of(memory), r.memoryReservation(),
                r.cpuLimit(), r.cpuReservation(), r.gpuCount(), r.gpuType(), r.volumeMount(), r.volumeSize(),
                r.resourceVolumeSize(), r.enableOidc(), r.enableShm(), r.routingMode(), r.appMode(), r.port(),
                r.entryRoute());
    }

    static InstanceSpec.LauncherSettings launcher(String id) {
        String api = "http://wavestore.wavestore.svc.cluster.local:8080/api/v1/instances/" + id;
        return new InstanceSpec.LauncherSettings(api + "/bundle", SHA, TOKEN, api + "/progress", "/instance/" + id + "/");
    }

    static InstanceSpec spec(String id) {
        return new InstanceSpec(record(id), runtime(), List.of(), List.of(), launcher(id));
    }

    static InstanceSpec spec(InstanceRecord record, RuntimeSection runtime) {
        return new InstanceSpec(record, runtime, List.of(), List.of(), launcher(record.instanceId()));
    }

    static InstanceSpec spec(InstanceRecord record, RuntimeSection runtime, List<EnvVarSpec> env, List<FileSpec> files) {
        return new InstanceSpec(record, runtime, env, files, launcher(record.instanceId()));
    }

    static InstanceRecord suspended(InstanceRecord r, boolean suspended) {
        return new InstanceRecord(r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(), r.ownerFullUser(), r.visibility(),
                suspended, r.createdAt(), r.releaseState(), r.revision());
    }

    static InstanceRecord version(InstanceRecord r, String appId, String appVersion) {
        return new InstanceRecord(r.instanceId(), appId, r.appName(), appVersion, r.ownerId(), r.ownerFullUser(), r.visibility(),
                r.suspended(), r.createdAt(), r.releaseState(), r.revision());
    }

    static InstanceRecord withState(InstanceRecord r, InstanceRecord.ReleaseState state, int revision) {
        return new InstanceRecord(r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(), r.ownerFullUser(), r.visibility(),
                r.suspended(), r.createdAt(), state, revision, r.suspendedReason());
    }
}
