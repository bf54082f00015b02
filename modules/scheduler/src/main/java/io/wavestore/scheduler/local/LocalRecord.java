package io.wavestore.scheduler.local;

import io.wavestore.scheduler.runtime.InstanceSpec;

/**
 * What the local runtime keeps of one instance in {@code record.json}: the same as a Helm release holds on
 * Kubernetes (the spec with its record), plus the loopback port the instance listens on.
 */
public record LocalRecord(InstanceSpec spec, int port, int revision) {
}
