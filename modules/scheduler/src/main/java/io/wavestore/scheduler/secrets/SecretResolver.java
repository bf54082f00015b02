package io.wavestore.scheduler.secrets;

import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which stored secret each {@code [[Env]]} and {@code [[File]]} of an instance gets, at every start, resume and
 * update. A name means, in this order: the instance owner's PRIVATE secret of that name, the APP secret of that
 * name bound to the instance's app, the ALL_USERS secret of that name (only when a full user or admin started the
 * instance). A reference becomes the secret's id and an
 * explicit key (an env var's key defaults to its name, a file's to its file name); the runtime reads the values from
 * there when the app starts, so a changed secret reaches an instance at its next restart. An optional env var whose
 * secret or key this instance does not have is left out; anything else missing or not allowed refuses the start,
 * naming the secret and the key.
 */
public final class SecretResolver {

    private final Optional<SecretStore> store;

    public SecretResolver(SecretStore store) {
        this.store = Optional.of(store);
    }

    private SecretResolver() {
        this.store = Optional.empty();
    }

    /** Leaves references as app.toml wrote them (names of Kubernetes Secrets made outside the store). */
    public static SecretResolver none() {
        return new SecretResolver();
    }

    /** The references of an instance, resolved. */
    public record Resolved(List<EnvVarSpec> env, List<FileSpec> files) {
    }

    /** @throws SecretUnavailable when a required secret or key is missing, or the instance may not use it */
    public Resolved resolve(String owner, boolean ownerFullUser, String appName, List<EnvVarSpec> env,
            List<FileSpec> files) {
        return resolve(owner, ownerFullUser, appName, env, files, false);
    }

    /**
     * @param stopped the instance is not to run (suspended): what it cannot have is left out instead of refused, so a
     *                deleted secret never keeps an instance from being suspended; its resume resolves again, strictly
     */
    public Resolved resolve(String owner, boolean ownerFullUser, String appName, List<EnvVarSpec> env,
            List<FileSpec> files, boolean stopped) {
        Instance instance = new Instance(owner, ownerFullUser, appName);
        if (store.isEmpty() || (env.stream().noneMatch(e -> e.secret().isPresent())
                && files.stream().noneMatch(f -> f.secret().isPresent()))) {
            return new Resolved(env, files);
        }
        List<StoredSecret> all = store.get().list();
        List<EnvVarSpec> resolvedEnv = new ArrayList<>();
        for (EnvVarSpec e : env) {
            if (e.secret().isEmpty()) {
                resolvedEnv.add(e);
                continue;
            }
            String key = e.secretKey().orElse(e.name());
            usable(all, instance, e.secret().get(), key, "env " + e.name(), e.optional() || stopped)
                    .ifPresent(s -> resolvedEnv.add(new EnvVarSpec(e.name(), Optional.empty(), Optional.of(s.id()),
                            Optional.of(key), false)));
        }
        List<FileSpec> resolvedFiles = new ArrayList<>();
        for (FileSpec f : files) {
            if (f.secret().isEmpty()) {
                resolvedFiles.add(f);
                continue;
            }
            String key = f.secretKey().orElse(fileName(f.path()));
            usable(all, instance, f.secret().get(), key, "file " + f.path(), stopped)
                    .ifPresent(s -> resolvedFiles.add(new FileSpec(f.path(), Optional.empty(), Optional.of(s.id()),
                            Optional.of(key))));
        }
        return new Resolved(resolvedEnv, resolvedFiles);
    }

    /** Whose instance of which app is being resolved. */
    record Instance(String owner, boolean ownerFullUser, String appName) {
    }

    private static Optional<StoredSecret> usable(List<StoredSecret> all, Instance instance, String name,
            String key, String usedFor, boolean optional) {
        List<StoredSecret> named = all.stream().filter(s -> s.name().equals(name)).toList();
        Optional<StoredSecret> chosen = named.stream().filter(s -> mayUse(s, instance))
                .min(Comparator.comparing(SecretResolver::precedence));
        String what = "secret '" + name + "' (key '" + key + "', for " + usedFor + ")";
        if (chosen.isEmpty()) {
            if (optional) {
                return Optional.empty();
            }
            if (named.isEmpty()) {
                throw new SecretUnavailable(what + " does not exist: create it on the Secrets page or with POST /api/v1/secrets");
            }
            throw new SecretUnavailable(what + " may not be used by this instance: " + named.stream()
                    .map(s -> s.scope() == SecretScope.APP ? "the APP secret of that name is bound to the app '"
                            + s.app().orElse("") + "', not '" + instance.appName() + "'" : refusal(s.scope()))
                    .distinct().sorted().reduce((a, b) -> a + "; " + b).orElse(""));
        }
        if (!chosen.get().keys().contains(key)) {
            if (optional) {
                return Optional.empty();
            }
            throw new SecretUnavailable(what + " has no key '" + key + "'; its keys are " + chosen.get().keys());
        }
        return chosen;
    }

    /** Who may use which secret; ALL_USERS secrets serve full users' and admins' instances, never visitors'. */
    static boolean mayUse(StoredSecret secret, Instance instance) {
        return switch (secret.scope()) {
            case PRIVATE -> !secret.owner().isEmpty() && secret.owner().equals(instance.owner());
            case APP -> secret.app().filter(instance.appName()::equals).isPresent();
            case ALL_USERS -> instance.ownerFullUser();
        };
    }

    private static String refusal(SecretScope scope) {
        return scope == SecretScope.ALL_USERS
                ? "the ALL_USERS secret of that name serves full users' instances, and this one was started by a visitor"
                : "the PRIVATE secret of that name belongs to another user";
    }

    private static int precedence(StoredSecret secret) {
        return switch (secret.scope()) {
            case PRIVATE -> 0;
            case APP -> 1;
            case ALL_USERS -> 2;
        };
    }

    private static String fileName(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
