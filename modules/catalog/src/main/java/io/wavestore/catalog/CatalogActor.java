package io.wavestore.catalog;

import io.wavestore.catalog.model.AppQuery;
import io.wavestore.catalog.model.AppUpdate;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.catalog.model.BlobDownload;
import io.wavestore.catalog.model.Page;
import io.wavestore.catalog.model.Tag;
import io.wavestore.catalog.model.TagSpec;
import io.wavestore.identity.Caller;
import io.wavestore.identity.Visibility;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Fronts the catalog (PostgreSQL and blob storage) on one node. Every command runs on the dedicated blocking
 * dispatcher, never on the actor's own thread or the default dispatcher, so slow disks or databases cannot
 * starve the HTTP server; commands run concurrently, the database keeps them consistent. Its messages stay on
 * the node (replies carry open streams), so they are not serialisable.
 */
public final class CatalogActor extends AbstractBehavior<CatalogActor.Command> {

    public static final String BLOCKING_DISPATCHER = "wavestore.catalog.blocking-dispatcher";

    public sealed interface Command {
    }

    public record ImportBundle(Path waveFile, Caller caller, Visibility visibility, ActorRef<CatalogResult<AppVersion>> replyTo)
            implements Command {
    }

    public record ListApps(AppQuery query, Caller caller, ActorRef<CatalogResult<Page<AppVersion>>> replyTo) implements Command {
    }

    public record GetApp(String name, String version, Caller caller, ActorRef<CatalogResult<AppVersion>> replyTo)
            implements Command {
    }

    /** The app version whatever its visibility, for the store's own decisions (never shown to a caller as is). */
    public record FindApp(String name, String version, ActorRef<CatalogResult<java.util.Optional<AppVersion>>> replyTo)
            implements Command {
    }

    public record UpdateApp(String name, String version, AppUpdate update, Caller caller,
            ActorRef<CatalogResult<AppVersion>> replyTo) implements Command {
    }

    public record DeleteApp(String name, String version, Caller caller, ActorRef<CatalogResult<Done>> replyTo)
            implements Command {
    }

    /** {@code screenshot} empty means the icon. */
    public record OpenImage(String name, String version, java.util.OptionalInt screenshot, Caller caller,
            ActorRef<CatalogResult<BlobDownload>> replyTo) implements Command {
    }

    public record OpenBundle(String name, String version, Caller caller, ActorRef<CatalogResult<BlobDownload>> replyTo)
            implements Command {
    }

    /** The bundle an instance runs, for its launcher (authenticated by its instance credential, not a caller). */
    public record OpenBundleForInstance(String name, String version, ActorRef<CatalogResult<BlobDownload>> replyTo)
            implements Command {
    }

    public record ListTags(ActorRef<CatalogResult<List<Tag>>> replyTo) implements Command {
    }

    public record CreateTag(String name, TagSpec spec, Caller caller, ActorRef<CatalogResult<Tag>> replyTo) implements Command {
    }

    public record UpdateTag(String name, TagSpec spec, Caller caller, ActorRef<CatalogResult<Tag>> replyTo) implements Command {
    }

    public record DeleteTag(String name, Caller caller, ActorRef<CatalogResult<Done>> replyTo) implements Command {
    }

    /** Sent by the actor's own timer; collects blobs left by imports that died half-way. */
    private record CollectOrphans() implements Command {
    }

    /** The reply of commands that only succeed or fail. */
    public enum Done { DONE }

    public static Behavior<Command> create(CatalogService service, Duration orphanInterval, Duration orphanGrace) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new CollectOrphans(), orphanInterval);
            return new CatalogActor(context, service, orphanGrace);
        }));
    }

    private final CatalogService service;
    private final Duration orphanGrace;
    private final Executor blocking;

    private CatalogActor(ActorContext<Command> context, CatalogService service, Duration orphanGrace) {
        super(context);
        this.service = service;
        this.orphanGrace = orphanGrace;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ImportBundle.class, c -> run(c.replyTo(), () -> service.importBundle(c.waveFile(), c.caller(), c.visibility())))
                .onMessage(ListApps.class, c -> run(c.replyTo(), () -> service.list(c.query(), c.caller())))
                .onMessage(GetApp.class, c -> run(c.replyTo(), () -> service.get(c.name(), c.version(), c.caller())))
                .onMessage(FindApp.class, c -> run(c.replyTo(), () -> service.find(c.name(), c.version())))
                .onMessage(UpdateApp.class, c -> run(c.replyTo(), () -> service.update(c.name(), c.version(), c.update(), c.caller())))
                .onMessage(DeleteApp.class, c -> run(c.replyTo(), () -> {
                    service.delete(c.name(), c.version(), c.caller());
                    return Done.DONE;
                }))
                .onMessage(OpenImage.class, c -> run(c.replyTo(), () -> c.screenshot().isPresent()
                        ? service.screenshot(c.name(), c.version(), c.screenshot().getAsInt(), c.caller())
                        : service.icon(c.name(), c.version(), c.caller())))
                .onMessage(OpenBundle.class, c -> run(c.replyTo(), () -> service.bundle(c.name(), c.version(), c.caller())))
                .onMessage(OpenBundleForInstance.class, c -> run(c.replyTo(), () -> service.bundleForInstance(c.name(), c.version())))
                .onMessage(ListTags.class, c -> run(c.replyTo(), service::listTags))
                .onMessage(CreateTag.class, c -> run(c.replyTo(), () -> service.createTag(c.name(), c.spec(), c.caller())))
                .onMessage(UpdateTag.class, c -> run(c.replyTo(), () -> service.updateTag(c.name(), c.spec(), c.caller())))
                .onMessage(DeleteTag.class, c -> run(c.replyTo(), () -> {
                    service.deleteTag(c.name(), c.caller());
                    return Done.DONE;
                }))
                .onMessage(CollectOrphans.class, c -> {
                    CompletableFuture.runAsync(() -> service.collectOrphans(orphanGrace), blocking)
                            .exceptionally(e -> {
                                getContext().getLog().warn("orphan collection failed: {}", e.toString());
                                return null;
                            });
                    return this;
                })
                .build();
    }

    /** Work that may throw checked exceptions; they become a {@link CatalogResult.Failed} reply. */
    @FunctionalInterface
    private interface Work<T> {
        T call() throws Exception;
    }

    private <T> Behavior<Command> run(ActorRef<CatalogResult<T>> replyTo, Work<T> work) {
        CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking).whenComplete((value, error) -> {
            if (error == null) {
                replyTo.tell(new CatalogResult.Ok<>(value));
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                replyTo.tell(new CatalogResult.Failed<>(cause));
            }
        });
        return this;
    }
}
