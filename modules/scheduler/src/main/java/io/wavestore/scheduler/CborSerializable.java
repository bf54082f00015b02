package io.wavestore.scheduler;

/**
 * Marks messages that cross cluster nodes (sharded instance commands and their replies); bound to Jackson CBOR in
 * this module's reference.conf.
 */
public interface CborSerializable {
}
