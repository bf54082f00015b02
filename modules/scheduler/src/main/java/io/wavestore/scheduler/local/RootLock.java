package io.wavestore.scheduler.local;

import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One change at a time under an instance root, across every store process that shares it (replicas on one machine):
 * an exclusive lock on {@code <root>/.lock}. Two replicas then never start the same launcher twice, nor start one
 * while another stops it. File locks belong to the process, so inside one JVM a lock per root comes first.
 */
final class RootLock {

    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local;

    RootLock(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        this.file = normalized.resolve(".lock");
        this.local = IN_THIS_JVM.computeIfAbsent(normalized, p -> new ReentrantLock());
    }

    <T> T call(Supplier<T> work) {
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return work.get(); // re-entered: the file lock is held already
            }
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "cannot lock the instance root " + file + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
