package io.wavestore.scheduler.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The record files of local instances, written atomically and readable only by the store (they hold a credential). */
final class LocalRecordStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRecordStore.class);
    static final String RECORD = "record.json";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    LocalRecordStore(Path root) {
        this.root = root;
    }

    Path dir(String instanceId) {
        if (!io.wavestore.scheduler.InstanceIds.plausible(instanceId)) {
            throw new IllegalArgumentException("not an instance id: " + instanceId);
        }
        return root.resolve(instanceId);
    }

    Optional<LocalRecord> read(String instanceId) {
        Path file = dir(instanceId).resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), LocalRecord.class));
        } catch (IOException e) {
            LOG.warn("local instance {}: unreadable record {}: {}", instanceId, file, e.toString());
            return Optional.empty();
        }
    }

    List<LocalRecord> readAll() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<LocalRecord> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .filter(io.wavestore.scheduler.InstanceIds::plausible)
                    .sorted()
                    .forEach(id -> read(id).ifPresent(records::add));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list local instances in " + root, e);
        }
        return records;
    }

    void write(LocalRecord record) {
        Path dir = dir(record.spec().instanceId());
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "record", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            json.writeValue(tmp.toFile(), record);
            try {
                Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(RECORD), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the record of " + record.spec().instanceId() + " in " + dir, e);
        }
    }

    /** Removes the instance's directory: record, app, venv, data and log. */
    void delete(String instanceId) {
        Path dir = dir(instanceId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }
}
