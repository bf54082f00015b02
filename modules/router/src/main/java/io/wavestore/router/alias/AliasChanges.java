package io.wavestore.router.alias;

import io.wavestore.scheduler.CborSerializable;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Keeps this node's {@link AliasDirectory} current: a cluster-wide topic on which a replica that changed an alias
 * says so, and a timer that reloads anyway now and then (a replica that joined late, or a lost message).
 */
public final class AliasChanges {

    public static final String TOPIC = "wavestore-alias-changes";

    /** Alias {@code alias} changed (or was removed): reload them. */
    public record AliasesChanged(String alias) implements CborSerializable {
    }

    private sealed interface Command {
    }

    private record Changed(AliasesChanged changed) implements Command {
    }

    private record Tick() implements Command {
    }

    private AliasChanges() {
    }

    /** Starts this node's end of the topic; returns it, to publish on. */
    public static ActorRef<Topic.Command<AliasesChanged>> init(ActorSystem<?> system, AliasDirectory directory,
            Duration refreshInterval) {
        ActorRef<Topic.Command<AliasesChanged>> topic =
                system.systemActorOf(Topic.create(AliasesChanged.class, TOPIC), "alias-changes", Props.empty());
        system.systemActorOf(listener(directory, topic, refreshInterval), "alias-directory", Props.empty());
        return topic;
    }

    private static Behavior<Command> listener(AliasDirectory directory, ActorRef<Topic.Command<AliasesChanged>> topic,
            Duration refreshInterval) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            topic.tell(Topic.subscribe(context.messageAdapter(AliasesChanged.class, Changed::new)));
            timers.startTimerWithFixedDelay(new Tick(), refreshInterval);
            directory.reload();
            // A change announced and the timer's tick alike: reload.
            return Behaviors.receiveMessage(changedOrTick -> {
                directory.reload();
                return Behaviors.same();
            });
        }));
    }
}
