package io.wavestore.scheduler;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How every {@link InstanceActor} behaves: the {@code wavestore.scheduler.instance-actor} and
 * {@code wavestore.scheduler.idle} blocks of the configuration.
 *
 * @param stashCapacity  how many commands an instance actor keeps waiting while it loads or runs a change; more fail
 * @param loadRetryDelay how long an actor that could not read its instance from the runtime waits before it asks again
 * @param idle           when its instance suspends itself for idleness
 */
public record InstanceActorSettings(int stashCapacity, Duration loadRetryDelay, IdleSuspension idle) {

    public static final String CONFIG_PATH = "wavestore.scheduler";

    /** @param scheduler the {@code wavestore.scheduler} block */
    public static InstanceActorSettings from(Config scheduler) {
        Config actor = scheduler.getConfig("instance-actor");
        int stashCapacity = actor.getInt("stash-capacity");
        if (stashCapacity < 1) {
            throw new IllegalArgumentException("wavestore.scheduler.instance-actor.stash-capacity must be at least 1");
        }
        return new InstanceActorSettings(stashCapacity, actor.getDuration("load-retry-delay"),
                IdleSuspension.from(scheduler.getConfig("idle")));
    }
}
