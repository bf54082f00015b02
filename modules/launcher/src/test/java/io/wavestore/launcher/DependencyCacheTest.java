package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DependencyCacheTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aBuildIsFoundOnlyOnceItIsPublished() throws IOException {
        DependencyCache cache = new DependencyCache(dir, 100L * MIB);
        Path building = cache.building("k1");
        Files.writeString(building.resolve("half-written"), "x");
        assertThat(cache.lookup("k1")).as("a build in progress (or killed) is never used").isEmpty();

        Path entry = cache.publish("k1", building);
        assertThat(cache.lookup("k1")).contains(entry);
        assertThat(building).doesNotExist();
        assertThat(Files.getPosixFilePermissions(entry.resolve("half-written"))).as("shared by hard links: read-only")
                .doesNotContain(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                        PosixFilePermission.OTHERS_WRITE);
    }

    @Test
    void whatAKilledBuildLeftIsNeitherUsedNorKept() throws IOException {
        DependencyCache cache = new DependencyCache(dir, 100L * MIB);
        Path killed = cache.building("k1");
        Files.writeString(killed.resolve("partial"), "x");

        Path again = cache.building("k1");
        assertThat(again).isEmptyDirectory();
        Files.writeString(again.resolve("partial"), "x");
        cache.evict("other");
        assertThat(again).as("no one holds k1's lock: the leftover goes").doesNotExist();
        assertThat(cache.lookup("k1")).isEmpty();
    }

    @Test
    void aCopySharesTheEntrysFilesAndLeavesItsMarkBehind() throws IOException {
        DependencyCache cache = new DependencyCache(dir.resolve("cache"), 100L * MIB);
        Path building = cache.building("k1");
        Files.createDirectories(building.resolve("bin"));
        Files.writeString(building.resolve("bin").resolve("tool"), "#!/bin/sh\n");
        Files.createSymbolicLink(building.resolve("bin").resolve("python"), Path.of("/usr/bin/python3"));
        Path entry = cache.publish("k1", building);

        Path venv = Files.createDirectories(dir.resolve("venv"));
        DependencyCache.copy(entry, venv);
        assertThat(venv.resolve("bin").resolve("tool")).hasContent("#!/bin/sh\n");
        assertThat(Files.isSameFile(venv.resolve("bin").resolve("tool"), entry.resolve("bin").resolve("tool")))
                .as("a hard link, not a copy").isTrue();
        assertThat(Files.readSymbolicLink(venv.resolve("bin").resolve("python"))).isEqualTo(Path.of("/usr/bin/python3"));
        assertThat(venv.resolve(DependencyCache.COMPLETE)).doesNotExist();
    }

    @Test
    void overItsSizeTheLeastRecentlyUsedEntriesGoFirst() throws IOException {
        DependencyCache cache = new DependencyCache(dir, 5L * MIB);
        publish(cache, "old", 2, Instant.parse("2026-01-01T00:00:00Z"));
        publish(cache, "recent", 2, Instant.parse("2026-03-01T00:00:00Z"));
        publish(cache, "middle", 2, Instant.parse("2026-02-01T00:00:00Z"));
        Path current = publish(cache, "current", 2, Instant.parse("2025-01-01T00:00:00Z"));

        assertThat(cache.evict("current")).hasSize(2);
        assertThat(cache.lookup("old")).isEmpty();
        assertThat(cache.lookup("middle")).isEmpty();
        assertThat(cache.lookup("recent")).isPresent();
        assertThat(current).as("what this start uses stays, however old").exists();
        assertThat(DependencyCache.sizeOf(dir)).isLessThanOrEqualTo(5L * MIB);
    }

    @Test
    void anEntryAnotherLauncherHoldsIsNotEvicted() throws IOException {
        DependencyCache cache = new DependencyCache(dir, MIB);
        publish(cache, "held", 2, Instant.parse("2026-01-01T00:00:00Z"));
        Path other = dir.resolve("other-launcher.lock");
        // Another process's lock on "held": a second JVM is what holds it in production; here a child process.
        try (FileChannel channel = cache.lockFile("held")) {
            // fcntl locks, as the JVM takes them (flock(1) takes BSD locks, which fcntl does not see).
            Process holder = new ProcessBuilder("python3", "-c", "import fcntl, pathlib, sys, time; "
                    + "f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); pathlib.Path(sys.argv[2]).touch(); "
                    + "time.sleep(60)", cache.venvs().resolve("held.lock").toString(), other.toString()).start();
            try {
                org.awaitility.Awaitility.await().until(() -> Files.exists(other));
                try (FileLock mine = channel.tryLock()) {
                    assertThat(mine).as("the other process holds it").isNull();
                }
                assertThat(cache.evict("none")).isEmpty();
                assertThat(cache.lookup("held")).isPresent();
            } finally {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void sizesCountAHardLinkedFileOnce() throws IOException {
        Path a = Files.write(dir.resolve("a"), new byte[1000]);
        Files.createLink(dir.resolve("b"), a);
        assertThat(DependencyCache.sizeOf(dir)).isEqualTo(1000);
    }

    private static Path publish(DependencyCache cache, String key, int mib, Instant used) throws IOException {
        Path building = cache.building(key);
        Files.write(building.resolve("payload"), new byte[mib * MIB]);
        Path entry = cache.publish(key, building);
        Files.setLastModifiedTime(entry, FileTime.from(used));
        return entry;
    }
}
