package io.wavestore.server;

import com.typesafe.config.Config;
import io.wavestore.catalog.CatalogService;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.InstanceCredentials;
import io.wavestore.scheduler.InstanceDependencies;
import io.wavestore.scheduler.InstanceSpecFactory;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.scheduler.SchedulerSettings;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.secrets.SecretResolver;
import io.wavestore.scheduler.secrets.SecretStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/** Starts the scheduler on this node when a runtime is configured: instance sharding and the release watcher. */
final class SchedulerWiring {

    /** What the routes need of the scheduler; {@code changes} is this node's end of the instance-changes topic (router). */
    record Scheduler(InstanceRuntime runtime, ActorRef<ReleaseWatcher.Command> watcher, InstanceCredentials credentials,
            java.time.Duration launcherCredentialTtl, Optional<SecretStore> secrets,
            ActorRef<org.apache.pekko.actor.typed.pubsub.Topic.Command<io.wavestore.scheduler.InstanceChanges.InstanceChanged>>
                    changes) {
    }

    private SchedulerWiring() {
    }

    static Optional<Scheduler> start(ActorSystem<?> system, Config config, Path dataDir, CatalogService catalog,
            io.wavestore.scheduler.InstanceActivity activity) throws IOException {
        Config schedulerConfig = config.getConfig("wavestore.scheduler");
        if (schedulerConfig.getString("runtime").equals("none")) {
            return Optional.empty();
        }
        SchedulerSettings settings = SchedulerSettings.from(schedulerConfig);
        byte[] secret = settings.credentialSecret().length > 0 ? settings.credentialSecret() : localSecret(dataDir);
        InstanceCredentials credentials = new InstanceCredentials(secret, settings.credentialTtl(), Clock.systemUTC());
        Optional<SecretStore> secrets = RuntimeFactory.secretStore(schedulerConfig, dataDir);
        secrets.ifPresent(store -> org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-secret-store", () -> {
                    store.close();
                    return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
                }));
        Optional<InstanceRuntime> runtime = RuntimeFactory.create(system, schedulerConfig, dataDir, credentials, secrets);
        if (runtime.isEmpty()) {
            return Optional.empty();
        }
        InstanceSpecFactory specs = new InstanceSpecFactory(settings, credentials,
                secrets.map(SecretResolver::new).orElse(SecretResolver.none()),
                AppOidcSettings.from(config).client(io.wavestore.router.RouterSettings.from(config)));
        var changes = io.wavestore.scheduler.InstanceChanges.init(system);
        // The watcher's proxy first: instance actors tell it of their changes (it waits for their sharding to start).
        ActorRef<ReleaseWatcher.Command> watcher = ReleaseWatcher.init(system, runtime.get(), settings, Clock.systemUTC());
        InstanceActor.init(system, new InstanceDependencies(runtime.get(), new CatalogAppLookup(catalog), specs,
                Clock.systemUTC(), changes, watcher, activity));
        // What a launcher's credential lives, and what a renewed one does: short for local launchers.
        java.time.Duration launcherTtl = schedulerConfig.getString("runtime").equals("local")
                ? schedulerConfig.getDuration("local.credential-ttl") : settings.credentialTtl();
        return Optional.of(new Scheduler(runtime.get(), watcher, credentials, launcherTtl, secrets, changes));
    }

    /**
     * A single store without a configured secret keeps one in its data directory. Replicas must share one:
     * set wavestore.scheduler.credential-secret for them.
     */
    private static byte[] localSecret(Path dataDir) throws IOException {
        Path file = dataDir.resolve("instance-credential.secret");
        if (!Files.exists(file)) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(random));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
    }
}
