package io.wavestore.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where the launcher's children (python, pip, waved, the app) run when {@code WAVESTORE_SANDBOX=bwrap}: in bubblewrap,
 * with their own mount, pid, IPC and UTS namespaces. They see the system's directories read-only (of /etc only what
 * programs need), a private {@code /tmp}, {@code /proc} of their own pid namespace (never the launcher, whose environment holds the instance's
 * credential) and the instance's own directories: the app and wave data read-write, the venv read-write while the
 * dependencies are installed and read-only afterwards. Nothing else of the machine exists for them: not the store's
 * data directory, not the other instances, not the instance's record or log.
 *
 * <p>With {@code WAVESTORE_SANDBOX_UID} (the launcher runs as root), bubblewrap sets the namespaces up as root and the
 * children drop to that user with no capabilities and no way to gain any ({@code setpriv}): even what the kernel
 * shares between namespaces is not theirs. Without it, bubblewrap makes an unprivileged user namespace, and the
 * children keep the launcher's user outside it.
 */
final class Sandbox {

    /** @param uid the user the children run as (launcher as root), or empty: the launcher's own, in a user namespace */
    record Settings(boolean enabled, OptionalInt uid) {
    }

    /** Read-only system directories, bound when they exist; symbolic links (merged /usr) are recreated as links. */
    private static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");
    /**
     * Of /etc only what programs, Python and pip need (name service, certificates, time zone, the loader, pip's and
     * Python's own settings): an operator may keep the store's configuration and its secrets in /etc.
     */
    private static final List<String> ETC = List.of("/etc/resolv.conf", "/etc/hosts", "/etc/host.conf", "/etc/gai.conf",
            "/etc/nsswitch.conf", "/etc/passwd", "/etc/group", "/etc/services", "/etc/protocols", "/etc/ssl",
            "/etc/ca-certificates", "/etc/pki", "/etc/localtime", "/etc/timezone", "/etc/ld.so.cache", "/etc/ld.so.conf",
            "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/mime.types", "/etc/pip.conf", "/etc/xdg/pip");

    private final Settings settings;
    private final LauncherConfig config;
    private volatile boolean installed;

    Sandbox(LauncherConfig config) {
        this.settings = config.sandbox();
        this.config = config;
    }

    /** From now on the venv is read-only to the children and pip's cache is not theirs: the app and waved run. */
    void dependenciesInstalled() {
        installed = true;
    }

    /** A child's environment in the sandbox: its home is the instance's wave data (the launcher's does not exist there). */
    Map<String, String> environment(Map<String, String> env) {
        if (!settings.enabled()) {
            return env;
        }
        Map<String, String> inside = new LinkedHashMap<>(env);
        inside.put("HOME", config.waveDataDir().toString());
        inside.remove("TMPDIR");
        return inside;
    }

    /** {@code command} as it runs: as is without a sandbox, else inside one, working in {@code dir}. */
    List<String> wrap(List<String> command, Path dir) {
        if (!settings.enabled()) {
            return command;
        }
        List<String> args = new ArrayList<>(List.of("bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session"));
        if (settings.uid().isEmpty()) {
            args.add("--unshare-user");
        }
        for (String system : SYSTEM) {
            Path path = Path.of(system);
            if (Files.isSymbolicLink(path)) {
                args.addAll(List.of("--symlink", readLink(path), system));
            } else if (Files.isDirectory(path)) {
                args.addAll(List.of("--ro-bind", system, system));
            }
        }
        pythonPrefix().ifPresent(prefix -> args.addAll(List.of("--ro-bind", prefix.toString(), prefix.toString())));
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        Set<Path> created = new LinkedHashSet<>(List.of(Path.of("/"), Path.of("/tmp")));
        for (String etc : etcFiles()) {
            if (Files.exists(Path.of(etc))) {
                bind(args, created, "--ro-bind", Path.of(etc));
            }
        }
        bind(args, created, "--bind", config.workDir());
        bind(args, created, "--bind", config.waveDataDir());
        bind(args, created, installed ? "--ro-bind" : "--bind", config.venvDir());
        if (!installed) {
            pipCache().ifPresent(cache -> bind(args, created, "--bind", cache));
            dependencyCache().ifPresent(cache -> bind(args, created, "--bind", cache));
            uvDirectory().ifPresent(uv -> bind(args, created, "--ro-bind", uv));
            localFindLinks().forEach(wheels -> bind(args, created, "--ro-bind", wheels));
        }
        args.addAll(List.of("--chdir", dir.toString(), "--"));
        settings.uid().ifPresent(uid -> args.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--")));
        args.addAll(command);
        return args;
    }

    /**
     * Makes the instance's directories (and pip's cache, which the installs write) exist, for bubblewrap binds only what
     * does; with a sandbox user they become its own, since the launcher made them as root. The app's directory, just
     * unpacked by the launcher, is handed over file by file at every start. The others are written by the children
     * themselves, or handed over by the launcher as it makes them ({@link #handOver(Path)}): once their top is the
     * sandbox user's, they are not walked again (a walk over the dependency cache and the venv, thousands of files,
     * took 0.1-0.3 s of every start); a top of another owner (a new directory, another sandbox user) is walked whole.
     */
    void handOver() throws IOException {
        if (!settings.enabled()) {
            return;
        }
        List<Path> dirs = new ArrayList<>(List.of(config.workDir(), config.waveDataDir(), config.venvDir()));
        pipCache().ifPresent(dirs::add);
        dependencyCache().ifPresent(dirs::add);
        for (Path dir : dirs) {
            Files.createDirectories(dir);
            if (settings.uid().isPresent() && (dir.equals(config.workDir()) || !owned(dir, settings.uid().getAsInt()))) {
                chownTree(dir, settings.uid().getAsInt());
            }
        }
    }

    /**
     * A directory the launcher made for the children to write after {@link #handOver()} (a build in the dependency
     * cache): with a sandbox user, it becomes theirs.
     */
    void handOver(Path dir) throws IOException {
        if (settings.enabled() && settings.uid().isPresent()) {
            chownTree(dir, settings.uid().getAsInt());
        }
    }

    /** Files that vanish meanwhile (pip's temporary files, another instance's install in the shared cache) are skipped. */
    private static void chownTree(Path root, int uid) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                chown(dir, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                chown(file, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    /**
     * Owner and group by number: comparing {@link PosixFileAttributeView#getOwner()}s looked the owner's name up for
     * every file, and the walk over the dependency cache and the venv took 0.2-0.5 s of every start.
     */
    private static boolean owned(Path path, int uid) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == uid;
    }

    private static void chown(Path path, int uid) throws IOException {
        try {
            if (!owned(path, uid)) {
                Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (NoSuchFileException gone) {
            // removed meanwhile: nothing to hand over
        }
    }

    /** Each missing parent of a bound directory, made searchable: bubblewrap would make them 0700 root. */
    private static void bind(List<String> args, Set<Path> created, String how, Path dir) {
        List<Path> parents = new ArrayList<>();
        for (Path p = dir.getParent(); p != null && !created.contains(p); p = p.getParent()) {
            parents.add(0, p);
        }
        for (Path parent : parents) {
            args.addAll(List.of("--perms", "0755", "--dir", parent.toString()));
            created.add(parent);
        }
        args.addAll(List.of(how, dir.toString(), dir.toString()));
        created.add(dir);
    }

    /** An interpreter configured outside the system directories (e.g. /opt/python3.11/bin/python3) needs its prefix. */
    private Optional<Path> pythonPrefix() {
        Path python = Path.of(config.python());
        if (!python.isAbsolute()) {
            return Optional.empty();
        }
        try {
            Path prefix = python.toRealPath().getParent().getParent();
            return SYSTEM.stream().anyMatch(s -> prefix.startsWith(s)) ? Optional.empty() : Optional.of(prefix);
        } catch (IOException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** {@link #ETC}, and Python's own folders in /etc (Debian's /etc/python3.11 holds its sitecustomize). */
    private static List<String> etcFiles() {
        List<String> files = new ArrayList<>(ETC);
        try (var python = Files.newDirectoryStream(Path.of("/etc"), "python*")) {
            python.forEach(p -> files.add(p.toString()));
        } catch (IOException e) {
            // no /etc: nothing more to bind
        }
        return files;
    }

    private Optional<Path> pipCache() {
        return Optional.ofNullable(config.environment().get("PIP_CACHE_DIR")).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize());
    }

    /** Where instances keep built environments and uv's downloads ({@link DependencyCache}), written while installing. */
    private Optional<Path> dependencyCache() {
        return Optional.ofNullable(config.environment().get(DependencyInstaller.CACHE)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize());
    }

    /** uv installed outside the system directories (a venv of its PyPI wheel, ~/.local/bin) must be seen. */
    private Optional<Path> uvDirectory() {
        return Uv.find(config.environment()).map(uv -> {
            try {
                return uv.toRealPath().getParent();
            } catch (IOException e) {
                return uv.getParent();
            }
        }).filter(dir -> SYSTEM.stream().noneMatch(s -> dir.startsWith(s)));
    }

    /** Local wheel directories pip and uv are pointed at ({@code PIP_FIND_LINKS=/opt/wheels}): uv fails on one it cannot see. */
    private List<Path> localFindLinks() {
        List<Path> dirs = new ArrayList<>();
        for (String variable : List.of("PIP_FIND_LINKS", "UV_FIND_LINKS")) {
            for (String value : config.environment().getOrDefault(variable, "").split("[\\s,]+")) {
                if (value.startsWith("/") && Files.isDirectory(Path.of(value))) {
                    dirs.add(Path.of(value).toAbsolutePath().normalize());
                }
            }
        }
        return dirs.stream().distinct().filter(dir -> SYSTEM.stream().noneMatch(s -> dir.startsWith(s))).toList();
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
