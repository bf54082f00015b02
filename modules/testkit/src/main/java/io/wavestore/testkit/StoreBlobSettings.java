package io.wavestore.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/** The store's blob settings ({@code wavestore.blob.*}) that keep its blobs in one of the test blob servers. */
final class StoreBlobSettings {

    private StoreBlobSettings() {
    }

    /**
     * {@code wavestore.blob.type = type} and each {@code key, value} pair as {@code wavestore.blob.<type>.<key>}.
     */
    static Map<String, Object> of(String type, Object... keysAndValues) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("wavestore.blob.type", type);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put("wavestore.blob." + type + "." + keysAndValues[i], keysAndValues[i + 1]);
        }
        return Map.copyOf(settings);
    }
}
