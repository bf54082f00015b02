package io.wavestore.router.alias;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every alias, in memory on every node, so that routing a request never waits for the database. It is reloaded
 * whole (aliases are few) when any replica changes an alias ({@link AliasChanges}) and every refresh interval.
 */
public final class AliasDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(AliasDirectory.class);

    /** All aliases at one moment. */
    public record Snapshot(Map<String, Alias> byName, Map<String, String> primaryByInstance,
            Map<String, List<String>> namesByInstance) {

        public static final Snapshot EMPTY = of(List.of());

        public static Snapshot of(List<Alias> aliases) {
            Map<String, Alias> byName = new HashMap<>();
            Map<String, String> primary = new HashMap<>();
            Map<String, List<String>> names = new HashMap<>();
            for (Alias alias : aliases) {
                byName.put(alias.name(), alias);
                alias.instanceId().ifPresent(id -> {
                    names.computeIfAbsent(id, k -> new ArrayList<>()).add(alias.name());
                    if (alias.primary()) {
                        primary.put(id, alias.name());
                    }
                });
            }
            names.replaceAll((k, v) -> List.copyOf(v));
            return new Snapshot(Map.copyOf(byName), Map.copyOf(primary), Map.copyOf(names));
        }

        public Optional<Alias> alias(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        public Optional<String> primaryOf(String instanceId) {
            return Optional.ofNullable(primaryByInstance.get(instanceId));
        }

        public List<String> namesOf(String instanceId) {
            return namesByInstance.getOrDefault(instanceId, List.of());
        }
    }

    private final Supplier<List<Alias>> source;
    private final Executor blocking;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
    private final CompletableFuture<Snapshot> firstLoad = new CompletableFuture<>();

    public AliasDirectory(Supplier<List<Alias>> source, Executor blocking) {
        this.source = source;
        this.blocking = blocking;
    }

    /** The aliases now; waits for the first load after start (so a fresh replica never answers 404 by mistake). */
    public CompletionStage<Snapshot> snapshot() {
        return firstLoad.isDone() ? CompletableFuture.completedFuture(current.get()) : firstLoad;
    }

    /** Reads every alias again; the answer completes when the new snapshot is in place. */
    public CompletionStage<Snapshot> reload() {
        return CompletableFuture.supplyAsync(() -> Snapshot.of(source.get()), blocking).whenComplete((snapshot, error) -> {
            if (error != null) {
                LOG.warn("cannot load aliases: {}; keeping the {} known", error.toString(), current.get().byName().size());
            } else {
                current.set(snapshot);
                firstLoad.complete(snapshot);
            }
        });
    }
}
