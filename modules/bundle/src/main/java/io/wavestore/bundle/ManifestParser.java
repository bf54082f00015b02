package io.wavestore.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads app.toml into an {@link AppManifest}, checking every rule and reporting all violations at once.
 * Syntax errors are {@link BundleError#UNPARSABLE_MANIFEST} with the line and column; broken rules are
 * {@link BundleError#INVALID_MANIFEST} with one {@link FieldViolation} each. Thread-safe.
 */
public final class ManifestParser {

    /** app.toml is a few hundred bytes in practice; anything this big is a mistake or an attack. */
    public static final int MAX_MANIFEST_BYTES = 256 * 1024;

    static final int MAX_NAME_LENGTH = 63;
    /** Lowercase DNS-label characters plus dots (H2O names look like {@code ai.h2o.wave.my-app}). */
    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    /** Kubernetes label-value characters, so that a version can label the instance's objects. */
    private static final Pattern APP_VERSION = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern PYTHON_MODULE =
            Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern RUNTIME_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    /** Secret names as H2O writes them ({@code SecretName}) and Kubernetes secret names alike. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");
    /** Kubernetes secret data keys. */
    private static final Pattern SECRET_KEY = Pattern.compile("[-._A-Za-z0-9]{1,253}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern CONTROL_EXCEPT_NEWLINES = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");

    static final int MAX_TITLE = 100;
    static final int MAX_DESCRIPTION = 4000;
    static final int MAX_TAGS = 32;
    static final int MAX_TAG = 64;
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;
    static final int MAX_GPUS = 64;

    private static final Set<String> SECTIONS = Set.of("App", "Runtime", "Env", "File", "Link");
    private static final Set<String> APP_KEYS = Set.of("Name", "Version", "Title", "Description", "LongDescription",
            "Tags", "InstanceLifecycle", "InstanceTimeout");
    private static final Set<String> RUNTIME_KEYS = Set.of("Module", "RuntimeVersion", "MemoryLimit",
            "MemoryReservation", "CPULimit", "CPUReservation", "GPUCount", "GPUType", "VolumeMount", "VolumeSize",
            "ResourceVolumeSize", "EnableOIDC", "EnableSHM", "RoutingMode", "AppMode", "Port",
            "EntryRoute");
    private static final Set<String> ENV_KEYS = Set.of("Name", "Value", "Secret", "SecretKey", "Optional");
    private static final Set<String> FILE_KEYS = Set.of("Path", "Value", "Secret", "SecretKey");
    private static final Set<String> LINK_KEYS = Set.of("Address");

    private static final TomlMapper TOML = TomlMapper.builder()
            // Dates become their own node type, so "InstanceTimeout = 2024-01-01" is reported as a wrong type.
            .enable(TomlReadFeature.PARSE_JAVA_TIME)
            .build();

    private final ManifestPolicy policy;

    public ManifestParser(ManifestPolicy policy) {
        this.policy = policy;
    }

    public AppManifest parse(String toml) throws BundleException {
        if (toml.length() > MAX_MANIFEST_BYTES) {
            throw new BundleException(BundleError.TOO_LARGE,
                    "app.toml is larger than " + MAX_MANIFEST_BYTES / 1024 + " KiB");
        }
        JsonNode root = readToml(toml);
        List<FieldViolation> violations = new ArrayList<>();
        root.fieldNames().forEachRemaining(section -> {
            if (!SECTIONS.contains(section)) {
                String hint = SECTIONS.stream().filter(s -> s.equalsIgnoreCase(section)).findFirst()
                        .map(s -> "unknown section; did you mean " + s + "? (names are case-sensitive)")
                        .orElse("unknown section (known: [App], [Runtime], [[Env]], [[File]], [Link])");
                violations.add(new FieldViolation(section, hint));
            }
        });

        Optional<TomlSection> appTable = table(root, "App", violations);
        if (appTable.isEmpty() && !root.has("App")) {
            violations.add(new FieldViolation("App", "section [App] is required"));
        }
        AppSection app = appTable.map(t -> app(t)).orElse(null);
        InstanceLifecycle lifecycle = app == null ? InstanceLifecycle.ON_DEMAND : app.instanceLifecycle();

        RuntimeSection runtime = table(root, "Runtime", violations).map(t -> runtime(t, lifecycle))
                .orElseGet(RuntimeSection::defaults);
        if (lifecycle != InstanceLifecycle.LINK && runtime.module().isEmpty() && !hasKey(root, "Runtime", "Module")) {
            violations.add(new FieldViolation("Runtime.Module",
                    "is required when App.InstanceLifecycle is " + lifecycle));
        }

        List<EnvVarSpec> env = arrayOfTables(root, "Env", violations, this::envVar, EnvVarSpec::name, "Name");
        List<FileSpec> files = arrayOfTables(root, "File", violations, ManifestParser::file, FileSpec::path, "Path");

        Optional<LinkSection> link = table(root, "Link", violations).flatMap(ManifestParser::link);
        if (lifecycle == InstanceLifecycle.LINK && !root.has("Link")) {
            violations.add(new FieldViolation("Link.Address", "is required when App.InstanceLifecycle is LINK"));
        } else if (lifecycle != InstanceLifecycle.LINK && root.has("Link")) {
            violations.add(new FieldViolation("Link", "is only allowed when App.InstanceLifecycle is LINK"));
        }

        if (!violations.isEmpty()) {
            throw BundleException.invalidManifest(violations);
        }
        return new AppManifest(app, runtime, env, files, link);
    }

    private static JsonNode readToml(String toml) throws BundleException {
        try {
            JsonNode root = TOML.readTree(toml);
            // An empty document is valid TOML: let validation say which sections it lacks.
            return root == null || !root.isObject() ? TOML.createObjectNode() : root;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BundleException(BundleError.UNPARSABLE_MANIFEST,
                    "app.toml is not valid TOML" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private AppSection app(TomlSection t) {
        t.rejectUnknownKeys(APP_KEYS);
        String name = t.requiredString("Name").filter(n -> checkName(t, "Name", n, APP_NAME,
                "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit"
                        + " (e.g. ai.h2o.wave.my-app)")).orElse("");
        String version = t.requiredString("Version").filter(v -> checkName(t, "Version", v, APP_VERSION,
                "letters, digits, '.', '-' and '_', starting and ending with a letter or digit (e.g. 1.0.2)"))
                .orElse("");
        String title = t.string("Title").filter(s -> !s.isBlank())
                .filter(s -> checkText(t, "Title", s, MAX_TITLE, CONTROL)).orElse(name);
        String description = t.string("Description")
                .filter(s -> checkText(t, "Description", s, MAX_DESCRIPTION, CONTROL_EXCEPT_NEWLINES)).orElse("");
        Optional<String> longDescription = t.optionalString("LongDescription").filter(p -> {
            String problem = EntryNames.relativePathProblem(p);
            if (problem != null) {
                t.violate("LongDescription", "must be a relative path of a file inside the bundle: " + problem);
            }
            return problem == null;
        });
        List<String> tags = tags(t);
        InstanceLifecycle lifecycle = enumValue(t, "InstanceLifecycle", InstanceLifecycle.class)
                .orElse(InstanceLifecycle.ON_DEMAND);
        Optional<Duration> timeout = t.optionalString("InstanceTimeout").flatMap(s -> {
            if (s.equals("-1")) {
                return Optional.of(AppSection.TIMEOUT_OFF);
            }
            try {
                return Optional.of(DurationFormat.parse(s));
            } catch (IllegalArgumentException e) {
                t.violate("InstanceTimeout", e.getMessage());
                return Optional.empty();
            }
        });
        if (t.has("InstanceTimeout") && lifecycle == InstanceLifecycle.LINK) {
            t.violate("InstanceTimeout", "has no meaning when InstanceLifecycle is LINK (there is no instance)");
        }
        return new AppSection(name, version, title, description, longDescription, tags, lifecycle, timeout);
    }

    private static List<String> tags(TomlSection t) {
        List<String> tags = t.stringList("Tags");
        if (tags.size() > MAX_TAGS) {
            t.violate("Tags", "must have at most " + MAX_TAGS + " tags (has " + tags.size() + ")");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            String key = "Tags[" + i + "]";
            if (tag.isBlank()) {
                t.violate(key, "must not be empty");
            } else if (tag.length() > MAX_TAG || CONTROL.matcher(tag).find()) {
                t.violate(key, "must be at most " + MAX_TAG + " characters without control characters");
            } else if (seen.putIfAbsent(tag.toLowerCase(Locale.ROOT), i) != null) {
                t.violate(key, "repeats Tags[" + seen.get(tag.toLowerCase(Locale.ROOT)) + "] '" + tag + "'");
            }
        }
        return tags;
    }

    private static RuntimeSection runtime(TomlSection t, InstanceLifecycle lifecycle) {
        t.rejectUnknownKeys(RUNTIME_KEYS);
        Optional<String> module = t.string("Module").filter(m -> {
            if (lifecycle == InstanceLifecycle.LINK) {
                t.violate("Module", "must not be set when App.InstanceLifecycle is LINK (nothing runs)");
                return false;
            }
            if (m.length() > 255 || !PYTHON_MODULE.matcher(m).matches()) {
                t.violate("Module", "must be a dotted Python module name such as app or my_app.main, not '" + m + "'");
                return false;
            }
            return true;
        });
        Optional<String> runtimeVersion = t.optionalString("RuntimeVersion").filter(v -> {
            boolean ok = RUNTIME_VERSION.matcher(v).matches();
            if (!ok) {
                t.violate("RuntimeVersion", "must be a runtime name such as deb11_py310_wlatest, not '" + v + "'");
            }
            return ok;
        });
        Optional<Quantity> memoryLimit = positive(t, "MemoryLimit");
        Optional<Quantity> memoryReservation = positive(t, "MemoryReservation");
        Optional<Quantity> cpuLimit = positive(t, "CPULimit");
        Optional<Quantity> cpuReservation = positive(t, "CPUReservation");
        notAbove(t, "MemoryReservation", memoryReservation, "MemoryLimit", memoryLimit);
        notAbove(t, "CPUReservation", cpuReservation, "CPULimit", cpuLimit);

        Optional<Long> gpus = t.integer("GPUCount").filter(n -> {
            boolean ok = n >= 0 && n <= MAX_GPUS;
            if (!ok) {
                t.violate("GPUCount", "must be between 0 and " + MAX_GPUS + " (is " + n + ")");
            }
            return ok;
        });
        int gpuCount = gpus.orElse(0L).intValue();
        Optional<String> gpuType = t.optionalString("GPUType");
        if (gpuType.isPresent() && gpuCount == 0 && (gpus.isPresent() || !t.has("GPUCount"))) {
            t.violate("GPUType", "needs GPUCount of at least 1");
        }

        Optional<String> volumeMount = t.optionalString("VolumeMount").filter(p -> {
            String problem = absolutePathProblem(p);
            if (problem != null) {
                t.violate("VolumeMount", problem);
            }
            return problem == null;
        });
        Optional<Quantity> volumeSize = positive(t, "VolumeSize");
        if (t.has("VolumeMount") && !t.has("VolumeSize")) {
            t.violate("VolumeSize", "is required when VolumeMount is set");
        } else if (t.has("VolumeSize") && !t.has("VolumeMount")) {
            t.violate("VolumeMount", "is required when VolumeSize is set");
        }
        Optional<Quantity> resourceVolumeSize = positive(t, "ResourceVolumeSize");

        boolean enableOidc = t.bool("EnableOIDC").orElse(false);
        boolean enableShm = t.bool("EnableSHM").orElse(false);
        RoutingMode routingMode = enumValue(t, "RoutingMode", RoutingMode.class).orElse(RoutingMode.BASE_URL);
        AppMode appMode = enumValue(t, "AppMode", AppMode.class).orElse(AppMode.WAVE);
        Optional<Integer> port = t.integer("Port").filter(p -> {
            if (p < MIN_PORT || p > MAX_PORT) {
                t.violate("Port", "must be between " + MIN_PORT + " and " + MAX_PORT + " (is " + p + ")");
                return false;
            }
            if (appMode != AppMode.PYTHON) {
                t.violate("Port", "is only meaningful when AppMode is python (a Wave app is served by waved)");
                return false;
            }
            return true;
        }).map(Long::intValue);

        Optional<String> entryRoute = t.string("EntryRoute").filter(route -> {
            Optional<String> problem = EntryRoutes.problem(route);
            problem.ifPresent(p -> t.violate("EntryRoute", p));
            return problem.isEmpty();
        });

        return new RuntimeSection(module, runtimeVersion, memoryLimit.map(Quantity::text),
                memoryReservation.map(Quantity::text), cpuLimit.map(Quantity::text), cpuReservation.map(Quantity::text),
                gpuCount, gpuType, volumeMount, volumeSize.map(Quantity::text),
                resourceVolumeSize.map(Quantity::text), enableOidc, enableShm, routingMode, appMode, port, entryRoute);
    }

    private EnvVarSpec envVar(TomlSection t) {
        t.rejectUnknownKeys(ENV_KEYS);
        String name = t.requiredString("Name").filter(n -> {
            if (!ENV_NAME.matcher(n).matches()) {
                t.violate("Name", "must be letters, digits and '_', not starting with a digit, not '" + n + "'");
                return false;
            }
            String reserved = ManifestPolicy.reservedPrefixOf(n);
            if (reserved != null && !policy.allowsReserved(n)) {
                t.violate("Name", "'" + n + "' uses the reserved prefix " + reserved
                        + " (set by the platform; an administrator can allow it)");
                return false;
            }
            return true;
        }).orElse("");
        Optional<String> value = t.string("Value");
        Optional<String> secret = secretName(t);
        Optional<String> secretKey = secretKey(t);
        boolean optional = t.bool("Optional").orElse(false);
        valueOrSecret(t, "an environment variable");
        if (t.has("Optional") && !t.has("Secret")) {
            t.violate("Optional", "is only meaningful with Secret");
        }
        return new EnvVarSpec(name, value, secret, secretKey, optional);
    }

    private static FileSpec file(TomlSection t) {
        t.rejectUnknownKeys(FILE_KEYS);
        String path = t.requiredString("Path").filter(p -> {
            String problem = p.startsWith("/") ? absolutePathProblem(p) : EntryNames.relativePathProblem(p);
            if (problem != null) {
                t.violate("Path", problem);
            }
            return problem == null;
        }).orElse("");
        Optional<String> value = t.string("Value");
        Optional<String> secret = secretName(t);
        Optional<String> secretKey = secretKey(t);
        valueOrSecret(t, "a file");
        return new FileSpec(path, value, secret, secretKey);
    }

    private static Optional<LinkSection> link(TomlSection t) {
        t.rejectUnknownKeys(LINK_KEYS);
        return t.requiredString("Address").filter(a -> {
            String problem = urlProblem(a);
            if (problem != null) {
                t.violate("Address", problem);
            }
            return problem == null;
        }).map(LinkSection::new);
    }

    private static Optional<String> secretName(TomlSection t) {
        return t.string("Secret").filter(s -> {
            boolean ok = SECRET_NAME.matcher(s).matches();
            if (!ok) {
                t.violate("Secret", "must be a secret name of letters, digits, '.', '-' and '_', not '" + s + "'");
            }
            return ok;
        });
    }

    private static Optional<String> secretKey(TomlSection t) {
        Optional<String> key = t.string("SecretKey").filter(s -> {
            boolean ok = SECRET_KEY.matcher(s).matches();
            if (!ok) {
                t.violate("SecretKey", "must be letters, digits, '.', '-' and '_', not '" + s + "'");
            }
            return ok;
        });
        if (t.has("SecretKey") && !t.has("Secret")) {
            t.violate("SecretKey", "is only allowed together with Secret");
        }
        return key;
    }

    private static void valueOrSecret(TomlSection t, String what) {
        if (t.has("Value") && t.has("Secret")) {
            t.violateSection("has both Value and Secret; " + what + " takes its content from exactly one");
        } else if (!t.has("Value") && !t.has("Secret")) {
            t.violateSection("needs a Value or a Secret");
        }
    }

    private static boolean checkName(TomlSection t, String key, String value, Pattern pattern, String rule) {
        if (value.length() > MAX_NAME_LENGTH) {
            t.violate(key, "must be at most " + MAX_NAME_LENGTH + " characters (is " + value.length() + ")");
            return false;
        }
        if (!pattern.matcher(value).matches()) {
            t.violate(key, "must be " + rule + ", not '" + value + "'");
            return false;
        }
        return true;
    }

    private static boolean checkText(TomlSection t, String key, String value, int max, Pattern forbidden) {
        if (value.length() > max) {
            t.violate(key, "must be at most " + max + " characters (is " + value.length() + ")");
            return false;
        }
        if (forbidden.matcher(value).find()) {
            t.violate(key, "must not contain control characters");
            return false;
        }
        return true;
    }

    private static Optional<Quantity> positive(TomlSection t, String key) {
        return t.quantity(key).filter(q -> {
            if (q.isZero()) {
                t.violate(key, "must be more than zero");
            }
            return !q.isZero();
        });
    }

    private static void notAbove(TomlSection t, String lowKey, Optional<Quantity> low, String highKey,
                                 Optional<Quantity> high) {
        if (low.isPresent() && high.isPresent() && low.get().compareTo(high.get()) > 0) {
            t.violate(lowKey, "(" + low.get().text() + ") must not exceed " + highKey + " (" + high.get().text() + ")");
        }
    }

    /** Enums are matched ignoring case: H2O writes {@code ON_DEMAND} but {@code python}. */
    private static <E extends Enum<E>> Optional<E> enumValue(TomlSection t, String key, Class<E> type) {
        return t.string(key).flatMap(s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return Optional.of(e);
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(e.name());
            }
            t.violate(key, "must be one of " + String.join(", ", allowed) + ", not '" + s + "'");
            return Optional.empty();
        });
    }

    static String absolutePathProblem(String path) {
        if (!path.startsWith("/") || path.equals("/")) {
            return "must be an absolute path below /, such as /data, not '" + path + "'";
        }
        String problem = EntryNames.relativePathProblem(path.substring(1));
        return problem == null ? null : "must be a clean absolute path: " + problem;
    }

    static String urlProblem(String address) {
        try {
            URI uri = new URI(address);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "must be an http:// or https:// URL, not '" + address + "'";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "must name a host, not '" + address + "'";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not contain user name or password";
            }
            return address.length() > 2048 ? "must be at most 2048 characters" : null;
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getMessage();
        }
    }

    private static boolean hasKey(JsonNode root, String section, String key) {
        JsonNode s = root.get(section);
        return s != null && s.isObject() && s.has(key);
    }

    private static Optional<TomlSection> table(JsonNode root, String name, List<FieldViolation> violations) {
        JsonNode node = root.get(name);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            violations.add(new FieldViolation(name,
                    "must be a table [" + name + "], not " + TomlSection.describe(node)));
            return Optional.empty();
        }
        return Optional.of(new TomlSection(name, (ObjectNode) node, violations));
    }

    /** Reads {@code [[name]]} entries, reporting repeated values of {@code keyField} (e.g. two Env NAMEs). */
    private static <T> List<T> arrayOfTables(JsonNode root, String name, List<FieldViolation> violations,
                                             Function<TomlSection, T> reader, Function<T, String> key,
                                             String keyField) {
        JsonNode node = root.get(name);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            violations.add(new FieldViolation(name, "must be an array of tables [[" + name + "]], not "
                    + TomlSection.describe(node) + " (write [[" + name + "]], with double brackets)"));
            return List.of();
        }
        List<T> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String entry = name + "[" + i + "]";
            JsonNode item = node.get(i);
            if (item.isObject()) {
                T value = reader.apply(new TomlSection(entry, (ObjectNode) item, violations));
                String k = key.apply(value);
                Integer first = k.isEmpty() ? null : seen.putIfAbsent(k, i);
                if (first != null) {
                    violations.add(new FieldViolation(entry + "." + keyField,
                            "repeats " + name + "[" + first + "]." + keyField + " '" + k + "'"));
                }
                out.add(value);
            } else {
                violations.add(new FieldViolation(entry, "must be a table, not " + TomlSection.describe(item)));
            }
        }
        return out;
    }
}
