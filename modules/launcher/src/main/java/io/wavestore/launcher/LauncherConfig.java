package io.wavestore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.DurationFormat;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the launcher is told, read from environment variables only (README.md lists them). Unset and
 * empty variables are the same thing. Every problem is a {@link ConfigException} that names its variable.
 *
 * @param environment the launcher's whole environment; children inherit it without the {@code WAVESTORE_*}
 *                    variables (see {@link ChildEnvironment})
 */
record LauncherConfig(String instanceId, BundleSource bundleSource, Optional<String> bundleSha256,
                      Optional<String> token, Optional<URI> progressUrl, Path workDir, Path venvDir,
                      Path waveDataDir, ListenAddress listen, String baseUrl, Optional<String> appModule,
                      Optional<AppMode> appMode, Optional<Integer> appPort, Map<String, String> appEnv,
                      Map<String, String> appFiles, Map<String, Path> appSecretFiles, List<Path> appFileRoots,
                      String python,
                      Duration installTimeout, Duration startTimeout, Duration stopGrace,
                      SystemPackagesMode systemPackages, BundleLimits bundleLimits,
                      Map<String, String> environment, Sandbox.Settings sandbox, Duration credentialRenewInterval) {

    /** Where the bundle comes from. */
    sealed interface BundleSource {
        /** Downloaded with {@code Authorization: Bearer <token>}. */
        record Url(URI uri) implements BundleSource {}

        /** A bundle already on this machine (the local runtime, tests). */
        record File(Path path) implements BundleSource {}
    }

    /** Whether packages.txt is installed with apt. */
    enum SystemPackagesMode {
        /** When the launcher runs as root (an instance pod allowed to); otherwise skipped and reported. */
        AUTO,
        /** Never (a local process on someone's machine must not apt-get install there); reported. */
        SKIP
    }

    static final String INSTANCE_ID = LauncherVariable.WAVESTORE_INSTANCE_ID.name();
    static final String BUNDLE_URL = LauncherVariable.WAVESTORE_BUNDLE_URL.name();
    static final String BUNDLE_FILE = LauncherVariable.WAVESTORE_BUNDLE_FILE.name();
    static final String BUNDLE_SHA256 = LauncherVariable.WAVESTORE_BUNDLE_SHA256.name();
    static final String INSTANCE_TOKEN = LauncherVariable.WAVESTORE_INSTANCE_TOKEN.name();
    static final String PROGRESS_URL = LauncherVariable.WAVESTORE_PROGRESS_URL.name();
    static final String WORK_DIR = LauncherVariable.WAVESTORE_WORK_DIR.name();
    static final String VENV_DIR = LauncherVariable.WAVESTORE_VENV_DIR.name();
    static final String WAVE_DATA_DIR = LauncherVariable.WAVESTORE_WAVE_DATA_DIR.name();
    static final String LISTEN_ADDRESS = LauncherVariable.WAVESTORE_LISTEN_ADDRESS.name();
    static final String BASE_URL = LauncherVariable.H2O_WAVE_BASE_URL.name();
    static final String APP_MODULE = LauncherVariable.WAVESTORE_APP_MODULE.name();
    static final String APP_MODE = LauncherVariable.WAVESTORE_APP_MODE.name();
    static final String APP_PORT = LauncherVariable.WAVESTORE_APP_PORT.name();
    static final String APP_ENV_JSON = LauncherVariable.WAVESTORE_APP_ENV_JSON.name();
    static final String APP_FILES_JSON = LauncherVariable.WAVESTORE_APP_FILES_JSON.name();
    static final String APP_FILES_ROOTS = LauncherVariable.WAVESTORE_APP_FILES_ROOTS.name();
    static final String APP_SECRET_FILES_JSON = LauncherVariable.WAVESTORE_APP_SECRET_FILES_JSON.name();
    static final String PYTHON = LauncherVariable.WAVESTORE_PYTHON.name();
    static final String INSTALL_TIMEOUT = LauncherVariable.WAVESTORE_INSTALL_TIMEOUT.name();
    static final String START_TIMEOUT = LauncherVariable.WAVESTORE_START_TIMEOUT.name();
    static final String STOP_GRACE = LauncherVariable.WAVESTORE_STOP_GRACE.name();
    static final String SYSTEM_PACKAGES = LauncherVariable.WAVESTORE_SYSTEM_PACKAGES.name();
    static final String SANDBOX = LauncherVariable.WAVESTORE_SANDBOX.name();
    static final String SANDBOX_UID = LauncherVariable.WAVESTORE_SANDBOX_UID.name();
    static final String CREDENTIAL_RENEW_INTERVAL = LauncherVariable.WAVESTORE_CREDENTIAL_RENEW_INTERVAL.name();
    static final String MAX_ENTRIES = LauncherVariable.WAVESTORE_BUNDLE_MAX_ENTRIES.name();
    static final String MAX_UNCOMPRESSED_BYTES = LauncherVariable.WAVESTORE_BUNDLE_MAX_UNCOMPRESSED_BYTES.name();
    static final String MAX_ENTRY_BYTES = LauncherVariable.WAVESTORE_BUNDLE_MAX_ENTRY_BYTES.name();
    static final String MAX_COMPRESSION_RATIO = LauncherVariable.WAVESTORE_BUNDLE_MAX_COMPRESSION_RATIO.name();
    static final String MAX_IMAGE_BYTES = LauncherVariable.WAVESTORE_BUNDLE_MAX_IMAGE_BYTES.name();
    static final String MAX_IMAGE_PIXELS = LauncherVariable.WAVESTORE_BUNDLE_MAX_IMAGE_PIXELS.name();
    static final String MAX_SCREENSHOTS = LauncherVariable.WAVESTORE_BUNDLE_MAX_SCREENSHOTS.name();
    static final String MAX_LONG_DESCRIPTION_BYTES = LauncherVariable.WAVESTORE_BUNDLE_MAX_LONG_DESCRIPTION_BYTES.name();

    static final String DEFAULT_LISTEN = ":10101";
    static final Duration DEFAULT_INSTALL_TIMEOUT = Duration.ofMinutes(20);
    static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);
    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    static final Duration DEFAULT_CREDENTIAL_RENEW_INTERVAL = Duration.ofMinutes(15);

    private static final Pattern INSTANCE_ID_SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern MODULE_SYNTAX =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern SHA256_SYNTAX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENV_NAME_SYNTAX = Pattern.compile("[^=\\x00]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    LauncherConfig {
        appEnv = Map.copyOf(appEnv);
        appFiles = Map.copyOf(appFiles);
        appSecretFiles = Map.copyOf(appSecretFiles);
        appFileRoots = List.copyOf(appFileRoots);
        environment = Map.copyOf(environment);
    }

    /** Reads the configuration from {@code env} (the process environment in production). */
    static LauncherConfig fromEnvironment(Map<String, String> env) throws ConfigException {
        try {
            return read(env);
        } catch (WrappedConfigException e) {
            throw (ConfigException) e.getCause();
        }
    }

    private static LauncherConfig read(Map<String, String> env) throws ConfigException {
        Env e = new Env(env);
        String instanceId = e.required(INSTANCE_ID);
        if (!INSTANCE_ID_SYNTAX.matcher(instanceId).matches()) {
            throw new ConfigException(INSTANCE_ID, "must be letters, digits, '.', '_' and '-' (at most 253), not '"
                    + printable(instanceId) + "'");
        }

        Optional<String> url = e.optional(BUNDLE_URL);
        Optional<String> file = e.optional(BUNDLE_FILE);
        if (url.isPresent() == file.isPresent()) {
            throw new ConfigException(BUNDLE_URL, url.isPresent() ? "and " + BUNDLE_FILE + " are both set; set one"
                    : "or " + BUNDLE_FILE + " must be set: where to get the app's bundle");
        }
        BundleSource source = url.isPresent() ? new BundleSource.Url(httpUri(BUNDLE_URL, url.get()))
                : new BundleSource.File(path(BUNDLE_FILE, file.get()));

        Optional<String> sha = e.optional(BUNDLE_SHA256).map(s -> s.toLowerCase(Locale.ROOT))
                .map(s -> s.startsWith("sha256:") ? s.substring("sha256:".length()) : s);
        if (sha.isPresent() && !SHA256_SYNTAX.matcher(sha.get()).matches()) {
            throw new ConfigException(BUNDLE_SHA256, "must be 64 hexadecimal digits (a SHA-256), not '"
                    + printable(sha.get()) + "'");
        }
        if (sha.isEmpty() && source instanceof BundleSource.Url) {
            throw new ConfigException(BUNDLE_SHA256, "must be set when the bundle is downloaded ("
                    + BUNDLE_URL + "): the launcher runs only the bundle the store vouches for");
        }

        Optional<URI> progress = e.optional(PROGRESS_URL).map(rethrow(v -> httpUri(PROGRESS_URL, v)));
        Optional<String> token = e.optional(INSTANCE_TOKEN);
        if (token.isPresent() && !token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // Never echo a token, not even a broken one.
            throw new ConfigException(INSTANCE_TOKEN, "must be printable ASCII without spaces");
        }
        if (token.isEmpty() && (source instanceof BundleSource.Url || progress.isPresent())) {
            throw new ConfigException(INSTANCE_TOKEN, "must be set when " + (source instanceof BundleSource.Url
                    ? BUNDLE_URL : PROGRESS_URL) + " is: the store answers only the instance's own credential");
        }

        Path workDir = e.optional(WORK_DIR).map(rethrow(v -> path(WORK_DIR, v)))
                .orElse(Path.of("app").toAbsolutePath());
        if (workDir.getParent() == null) {
            throw new ConfigException(WORK_DIR, "must not be the root directory");
        }
        Path venvDir = e.optional(VENV_DIR).map(rethrow(v -> path(VENV_DIR, v)))
                .orElse(workDir.resolveSibling("venv"));
        Path waveDataDir = e.optional(WAVE_DATA_DIR).map(rethrow(v -> path(WAVE_DATA_DIR, v)))
                .orElse(workDir.resolveSibling("wave-data"));
        if (venvDir.startsWith(workDir) || waveDataDir.startsWith(workDir)) {
            throw new ConfigException(venvDir.startsWith(workDir) ? VENV_DIR : WAVE_DATA_DIR,
                    "must not be inside " + WORK_DIR + " (" + workDir + "), which is emptied at every start");
        }

        ListenAddress listen = e.parsed(LISTEN_ADDRESS, DEFAULT_LISTEN, ListenAddress::parse);
        String baseUrl = baseUrl(e.optional(BASE_URL).orElse("/"));

        Optional<String> module = e.optional(APP_MODULE);
        if (module.isPresent() && !MODULE_SYNTAX.matcher(module.get()).matches()) {
            throw new ConfigException(APP_MODULE, "must be a dotted Python module name such as app or my_app.main, "
                    + "not '" + printable(module.get()) + "'");
        }
        Optional<AppMode> mode = e.optional(APP_MODE).map(rethrow(v -> appMode(v)));
        Optional<Integer> port = e.optional(APP_PORT).map(rethrow(v -> port(APP_PORT, v)));

        Map<String, String> appEnv = stringMap(APP_ENV_JSON, e.optional(APP_ENV_JSON).orElse("{}"));
        for (String name : appEnv.keySet()) {
            if (!ENV_NAME_SYNTAX.matcher(name).matches()) {
                throw new ConfigException(APP_ENV_JSON, "has an invalid variable name '" + printable(name) + "'");
            }
        }
        for (Map.Entry<String, String> v : appEnv.entrySet()) {
            if (v.getValue().indexOf('\0') >= 0) {
                throw new ConfigException(APP_ENV_JSON, "has a NUL character in the value of " + v.getKey());
            }
        }
        Map<String, String> appFiles = stringMap(APP_FILES_JSON, e.optional(APP_FILES_JSON).orElse("{}"));
        Map<String, Path> secretFiles = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : stringMap(APP_SECRET_FILES_JSON,
                e.optional(APP_SECRET_FILES_JSON).orElse("{}")).entrySet()) {
            // The chart mounts each Secret key below one directory; the launcher copies it to the relative path.
            Path mounted = path(APP_SECRET_FILES_JSON, f.getValue());
            if (!Path.of(f.getValue()).isAbsolute()) {
                throw new ConfigException(APP_SECRET_FILES_JSON, "must map each relative path to the absolute path of"
                        + " a mounted file, not '" + printable(f.getValue()) + "'");
            }
            secretFiles.put(f.getKey(), mounted);
        }
        List<Path> roots = new ArrayList<>();
        for (String root : e.optional(APP_FILES_ROOTS).orElse("").split(":")) {
            if (!root.isBlank()) {
                Path p = path(APP_FILES_ROOTS, root.strip());
                if (!Path.of(root.strip()).isAbsolute()) {
                    throw new ConfigException(APP_FILES_ROOTS, "must list absolute directories, not '"
                            + printable(root) + "'");
                }
                roots.add(p);
            }
        }

        String python = e.optional(PYTHON).orElse("python3");
        Duration install = e.parsed(INSTALL_TIMEOUT, DurationFormat.format(DEFAULT_INSTALL_TIMEOUT),
                DurationFormat::parse);
        Duration start = e.parsed(START_TIMEOUT, DurationFormat.format(DEFAULT_START_TIMEOUT), DurationFormat::parse);
        Duration grace = e.parsed(STOP_GRACE, DurationFormat.format(DEFAULT_STOP_GRACE), DurationFormat::parse);
        Duration renewInterval = e.parsed(CREDENTIAL_RENEW_INTERVAL,
                DurationFormat.format(DEFAULT_CREDENTIAL_RENEW_INTERVAL), DurationFormat::parse);
        if (renewInterval.isZero() || renewInterval.isNegative()) {
            throw new ConfigException(CREDENTIAL_RENEW_INTERVAL, "must be longer than 0s");
        }
        SystemPackagesMode packages = e.parsed(SYSTEM_PACKAGES, "auto", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "auto" -> SystemPackagesMode.AUTO;
            case "skip" -> SystemPackagesMode.SKIP;
            default -> throw new IllegalArgumentException("must be auto or skip, not '" + v + "'");
        });

        boolean sandboxed = e.parsed(SANDBOX, "none", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "bwrap" -> true;
            default -> throw new IllegalArgumentException("must be none or bwrap, not '" + v + "'");
        });
        Optional<Integer> sandboxUid = e.optional(SANDBOX_UID).map(rethrow(v -> sandboxUid(v)));
        if (sandboxUid.isPresent() && !sandboxed) {
            throw new ConfigException(SANDBOX_UID, "is set but " + SANDBOX + " is not bwrap");
        }
        Sandbox.Settings sandbox = new Sandbox.Settings(sandboxed,
                sandboxUid.map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty()));

        BundleLimits d = BundleLimits.defaults();
        BundleLimits limits;
        int maxEntries = e.parsed(MAX_ENTRIES, Integer.toString(d.maxEntries()), Integer::parseInt);
        long maxUncompressed = e.parsed(MAX_UNCOMPRESSED_BYTES, Long.toString(d.maxUncompressedBytes()),
                ByteSize::parse);
        long maxEntry = e.parsed(MAX_ENTRY_BYTES, Long.toString(d.maxEntryBytes()), ByteSize::parse);
        double maxRatio = e.parsed(MAX_COMPRESSION_RATIO, Double.toString(d.maxCompressionRatio()),
                Double::parseDouble);
        long maxImage = e.parsed(MAX_IMAGE_BYTES, Long.toString(d.maxImageBytes()), ByteSize::parse);
        int maxPixels = e.parsed(MAX_IMAGE_PIXELS, Integer.toString(d.maxImagePixels()), Integer::parseInt);
        int maxShots = e.parsed(MAX_SCREENSHOTS, Integer.toString(d.maxScreenshots()), Integer::parseInt);
        long maxLong = e.parsed(MAX_LONG_DESCRIPTION_BYTES, Long.toString(d.maxLongDescriptionBytes()),
                ByteSize::parse);
        try {
            limits = new BundleLimits(maxEntries, maxUncompressed, maxEntry, maxRatio, maxImage, maxPixels, maxShots,
                    maxLong);
        } catch (IllegalArgumentException ex) {
            throw new ConfigException("WAVESTORE_BUNDLE_MAX_*", ex.getMessage());
        }

        return new LauncherConfig(instanceId, source, sha, token, progress, workDir, venvDir, waveDataDir, listen,
                baseUrl, module, mode, port, appEnv, appFiles, secretFiles, roots, python, install, start, grace, packages, limits,
                env, sandbox, renewInterval);
    }

    /** Never prints the token or the environment (which holds it, and the app's secrets). */
    @Override
    public String toString() {
        return "LauncherConfig[instanceId=" + instanceId + ", bundle=" + bundleSource + ", workDir=" + workDir
                + ", venvDir=" + venvDir + ", listen=" + listen + ", baseUrl=" + baseUrl + "]";
    }

    private static String baseUrl(String value) throws ConfigException {
        if (!value.startsWith("/") || value.startsWith("//")) {
            throw new ConfigException(BASE_URL, "must be a path starting with a single /, e.g. /instance/abc/, not '"
                    + printable(value) + "'");
        }
        if (value.chars().anyMatch(c -> c <= 0x20 || c == '?' || c == '#' || c >= 0x7f)) {
            throw new ConfigException(BASE_URL, "must be a plain path without spaces, '?' or '#', not '"
                    + printable(value) + "'");
        }
        return value.endsWith("/") ? value : value + "/";
    }

    private static AppMode appMode(String value) throws ConfigException {
        try {
            return AppMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(APP_MODE, "must be wave or python, not '" + printable(value) + "'");
        }
    }

    private static int port(String variable, String value) throws ConfigException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigException(variable, "must be a port between 1 and 65535, not '" + printable(value) + "'");
    }

    private static int sandboxUid(String value) throws ConfigException {
        try {
            int uid = Integer.parseInt(value);
            if (uid > 0) {
                return uid;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigException(SANDBOX_UID, "must be a user id above 0 (the children never run as root), not '"
                + printable(value) + "'");
    }

    private static URI httpUri(String variable, String value) throws ConfigException {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() != null && (uri.getScheme().equalsIgnoreCase("http")
                    || uri.getScheme().equalsIgnoreCase("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // below
        }
        throw new ConfigException(variable, "must be an http:// or https:// URL, not '" + printable(value) + "'");
    }

    private static Path path(String variable, String value) throws ConfigException {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(variable, "is not a valid path: " + e.getMessage());
        }
    }

    private static Map<String, String> stringMap(String variable, String json) throws ConfigException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(variable, "is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException(variable, "must be a JSON object of names to string values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                // The value may be a secret: name the key, never the value.
                throw new ConfigException(variable, "must map every name to a string, but '"
                        + printable(field.getKey()) + "' is " + field.getValue().getNodeType().name()
                        .toLowerCase(Locale.ROOT));
            }
            map.put(field.getKey(), field.getValue().textValue());
        }
        return map;
    }

    /** For messages: control characters escaped, long values cut. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return s.length() > 200 ? sb + "..." : sb.toString();
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String value) throws ConfigException;
    }

    private static <T> Function<String, T> rethrow(Parser<T> parser) {
        return v -> {
            try {
                return parser.parse(v);
            } catch (ConfigException e) {
                throw new WrappedConfigException(e);
            }
        };
    }

    private static final class WrappedConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrappedConfigException(ConfigException e) {
            super(e);
        }
    }

    /** Unset and blank are the same; parse errors name the variable. */
    private record Env(Map<String, String> env) {
        Optional<String> optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        }

        String required(String name) throws ConfigException {
            return optional(name).orElseThrow(() -> new ConfigException(name, "must be set"));
        }

        <T> T parsed(String name, String defaultValue, Function<String, T> parse) throws ConfigException {
            String value = optional(name).orElse(defaultValue);
            try {
                return parse.apply(value);
            } catch (WrappedConfigException e) {
                throw (ConfigException) e.getCause();
            } catch (IllegalArgumentException e) {
                String message = e instanceof NumberFormatException ? "is not a number: '" + printable(value) + "'"
                        : e.getMessage();
                throw new ConfigException(name, message);
            }
        }
    }
}
