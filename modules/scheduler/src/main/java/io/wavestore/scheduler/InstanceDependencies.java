package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * What every {@link InstanceActor} works with, the same for all instances of a store.
 *
 * @param runtime   where instances live (Helm releases, local processes)
 * @param apps      the catalog's app versions, as instances need them
 * @param specs     turns a record and its app version into what the runtime installs
 * @param changes   every node's route caches, told when what the router relies on changed
 * @param directory the ReleaseWatcher (its proxy): told of every change an actor made as soon as it is done, so
 *                  listings agree with what a request for the instance answers without waiting for the watch
 * @param activity  told what the runtime showed that this store did not do itself (the activity history)
 */
public record InstanceDependencies(InstanceRuntime runtime, AppLookup apps, InstanceSpecFactory specs, Clock clock,
        ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, ActorRef<ReleaseWatcher.Command> directory,
        InstanceActivity activity) {
}
