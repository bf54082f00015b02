package io.wavestore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;

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
}
