package io.wavestore.scheduler;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.List;

/** Settings that are lists in HOCON and one comma-separated string in an environment variable. */
public final class ConfigLists {

    private ConfigLists() {
    }

    /** The list at {@code path}, given either as a list or (by an environment variable) as one comma-separated string. */
    public static List<String> stringList(Config config, String path) {
        if (config.getValue(path).valueType() == ConfigValueType.STRING) {
            return Arrays.stream(config.getString(path).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        return config.getStringList(path);
    }
}
