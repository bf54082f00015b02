package io.wavestore.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds one module's own {@code reference.conf} on a test class path that holds those of all its dependencies, so
 * that a test can check the defaults that module itself declares.
 */
public final class ModuleReference {

    private ModuleReference() {
    }

    /** The {@code reference.conf} in the jar or classes folder that {@code moduleClass} comes from. */
    public static URL of(Class<?> moduleClass) {
        String module = moduleClass.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            for (URL url : Collections.list(moduleClass.getClassLoader().getResources("reference.conf"))) {
                if (url.toString().contains(module)) {
                    return url;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("No reference.conf in " + module);
    }

    /**
     * Which setting under {@code path} of {@code moduleClass}'s own {@code reference.conf} each of {@code variables}
     * overrides: each variable is given its own name as its value, and the settings that end up with one are
     * reported as variable to setting (relative to {@code path}). A test compares that with the wiring it expects,
     * each name written once.
     */
    public static Map<String, String> settingsSetBy(Class<?> moduleClass, String path, Collection<String> variables) {
        Map<String, String> environment = variables.stream().collect(Collectors.toMap(Function.identity(), Function.identity()));
        Config settings = ConfigFactory.parseURL(of(moduleClass))
                .withFallback(ConfigFactory.parseMap(environment))
                .resolve()
                .getConfig(path);
        Map<String, String> setBy = new TreeMap<>();
        settings.entrySet().forEach(setting -> {
            if (variables.contains(setting.getValue().unwrapped())) {
                setBy.put((String) setting.getValue().unwrapped(), setting.getKey());
            }
        });
        return setBy;
    }
}
