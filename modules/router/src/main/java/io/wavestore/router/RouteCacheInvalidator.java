package io.wavestore.router;

import io.wavestore.scheduler.InstanceChanges;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Keeps this node's {@link RouteCache} honest: it listens to the instance actors' cluster-wide topic and drops the
 * route of every instance that announces a change (suspend, resume, update, terminate, new address, readiness, or
 * the actor starting on a node after a move or a restart). When cluster membership or reachability changes, actors
 * may be moving: every route is refreshed in the background when next used, and serves meanwhile, so that a replica
 * dying does not fail requests through the others to instances whose routes they know ({@link RouteCache#refreshAll}).
 */
public final class RouteCacheInvalidator {

    public sealed interface Command {
    }

    private record Changed(InstanceChanges.InstanceChanged changed) implements Command {
    }

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record Unreachable(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    private RouteCacheInvalidator() {
    }

    public static Behavior<Command> create(RouteCache cache, ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes) {
        return Behaviors.setup(context -> {
            changes.tell(Topic.subscribe(context.messageAdapter(InstanceChanges.InstanceChanged.class, Changed::new)));
            Cluster cluster = Cluster.get(context.getSystem());
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Unreachable::new),
                    ClusterEvent.ReachabilityEvent.class));
            return Behaviors.receive(Command.class)
                    .onMessage(Changed.class, changed -> {
                        cache.invalidate(changed.changed().instanceId());
                        return Behaviors.same();
                    })
                    .onMessage(MembershipChanged.class, changed -> {
                        context.getLog().debug("membership changed ({}): refreshing {} cached routes", changed.event(), cache.size());
                        cache.refreshAll();
                        return Behaviors.same();
                    })
                    .onMessage(Unreachable.class, changed -> {
                        cache.refreshAll();
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
