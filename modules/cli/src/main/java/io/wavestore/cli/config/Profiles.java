package io.wavestore.cli.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wavestore.client.ClientJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profiles in {@code <config dir>/profiles.json}: named stores with their credentials, and which one is
 * current. The file holds tokens, so it is written readable by its owner only, and replaced whole (never half-written).
 */
public final class Profiles {

    public static final String DEFAULT = "default";
    private static final String FILE = "profiles.json";
    private static final ObjectMapper JSON = ClientJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Content content;

    private Profiles(Path dir, Content content) {
        this.dir = dir;
        this.content = content;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(String current, Map<String, Profile> profiles) {
        Content {
            current = current == null ? DEFAULT : current;
            profiles = profiles == null ? new TreeMap<>() : new TreeMap<>(profiles);
        }
    }

    public static Profiles load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new Profiles(dir, new Content(null, null));
        }
        try {
            return new Profiles(dir, JSON.readValue(file.toFile(), Content.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public String current() {
        return content.current();
    }

    public Map<String, Profile> all() {
        return Map.copyOf(content.profiles());
    }

    /** The profile of that name, or an empty one (no store, no credentials). */
    public Profile get(String name) {
        return content.profiles().getOrDefault(name, Profile.of(null));
    }

    public boolean exists(String name) {
        return content.profiles().containsKey(name);
    }

    public Profiles with(String name, Profile profile) {
        Content next = new Content(content.current(), content.profiles());
        next.profiles().put(name, profile);
        return new Profiles(dir, next);
    }

    public Profiles withCurrent(String name) {
        return new Profiles(dir, new Content(name, content.profiles()));
    }

    public Profiles without(String name) {
        Content next = new Content(content.current(), content.profiles());
        next.profiles().remove(name);
        return new Profiles(dir, next);
    }

    public void save() {
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                JSON.writeValue(temp.toFile(), content);
                Files.move(temp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
