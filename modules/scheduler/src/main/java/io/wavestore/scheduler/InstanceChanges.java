package io.wavestore.scheduler;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The cluster-wide topic on which instance actors announce that their instance changed (record, workload, or it
 * moved to another node), so every node's route cache can drop its entry. One topic actor per node, same name
 * everywhere: Pekko connects them over the cluster.
 */
public final class InstanceChanges {

    public static final String TOPIC = "wavestore-instance-changes";

    /** Instance {@code instanceId} changed: anything cached about it is stale. */
    public record InstanceChanged(String instanceId) implements CborSerializable {
    }

    private InstanceChanges() {
    }

    /** Starts this node's end of the topic. Call once per node, before sharding starts instance actors. */
    public static ActorRef<Topic.Command<InstanceChanged>> init(ActorSystem<?> system) {
        return system.systemActorOf(Topic.create(InstanceChanged.class, TOPIC), "instance-changes", Props.empty());
    }
}
