package io.wavestore.scheduler.runtime;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an app.toml's {@code Runtime.RuntimeVersion} (H2O AI Cloud's runtime names) says about the app's Python. */
public final class RuntimeVersions {
    private static final Pattern PY = Pattern.compile("(?:^|[_-])py(3)\\.?(\\d{1,2})(?:[_-]|$)");

    private RuntimeVersions() {
    }

    /** The Python version a RuntimeVersion names: {@code py310} or {@code py3.10} in it (3.10); none when it names none. */
    public static Optional<String> python(String runtimeVersion) {
        Matcher m = PY.matcher(runtimeVersion);
        return m.find() ? Optional.of(m.group(1) + "." + Integer.parseInt(m.group(2))) : Optional.empty();
    }
}
