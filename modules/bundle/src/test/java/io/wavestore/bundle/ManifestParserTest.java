package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParserTest {
    static final String APP = "[App]\nName = \"my-app\"\nVersion = \"1.0.0\"\n";
    static final String RUNTIME = "[Runtime]\nModule = \"app\"\n";

    private final ManifestParser parser = new ManifestParser(ManifestPolicy.defaults());

    @Test
    void parsesEveryField() throws Exception {
        AppManifest m = parser.parse("""
                [App]
                Name = "ai.h2o.wave.my-app"
                Version = "0.0.1"
                Title = "My awesome app"
                Description = "This is my awesome app"
                LongDescription = "docs/LongDescription.md"
                Tags = ["DATA_SCIENCE", "demo"]
                InstanceLifecycle = "MANAGED"
                InstanceTimeout = "1h30m"

                [Runtime]
                Module = "my_app.main"
                RuntimeVersion = "deb11_py310_wlatest"
                MemoryLimit = "500Mi"
                MemoryReservation = "400Mi"
                CPULimit = 1.5
                CPUReservation = "500m"
                GPUCount = 1
                GPUType = "nvidia-a100"
                VolumeMount = "/data"
                VolumeSize = "1Gi"
                ResourceVolumeSize = "2Gi"
                EnableOIDC = true
                EnableSHM = true
                RoutingMode = "DOMAIN"
                AppMode = "python"
                Port = 8501
                EntryRoute = "/demo/start"

                [[Env]]
                Name = "DB_PASSWORD"
                Secret = "db-credentials"
                SecretKey = "password"
                Optional = true

                [[Env]]
                Name = "GREETING"
                Value = "hello"

                [[File]]
                Path = "config/settings.yaml"
                Value = '''
                a: 1
                '''

                [[File]]
                Path = "/etc/app/key.pem"
                Secret = "tls"
                SecretKey = "tls.key"
                """);
        assertThat(m.app()).isEqualTo(new AppSection("ai.h2o.wave.my-app", "0.0.1", "My awesome app",
                "This is my awesome app", Optional.of("docs/LongDescription.md"), List.of("DATA_SCIENCE", "demo"),
                InstanceLifecycle.MANAGED, Optional.of(Duration.ofMinutes(90))));
        assertThat(m.runtime()).isEqualTo(new RuntimeSection(Optional.of("my_app.main"),
                Optional.of("deb11_py310_wlatest"), Optional.of("500Mi"), Optional.of("400Mi"), Optional.of("1.5"),
                Optional.of("500m"), 1, Optional.of("nvidia-a100"), Optional.of("/data"), Optional.of("1Gi"),
                Optional.of("2Gi"), true, true, RoutingMode.DOMAIN, AppMode.PYTHON, Optional.of(8501),
                Optional.of("/demo/start")));
        assertThat(m.env()).containsExactly(
                new EnvVarSpec("DB_PASSWORD", Optional.empty(), Optional.of("db-credentials"),
                        Optional.of("password"), true),
                new EnvVarSpec("GREETING", Optional.of("hello"), Optional.empty(), Optional.empty(), false));
        assertThat(m.files()).containsExactly(
                new FileSpec("config/settings.yaml", Optional.of("a: 1\n"), Optional.empty()),
                new FileSpec("/etc/app/key.pem", Optional.empty(), Optional.of("tls"), Optional.of("tls.key")));
        assertThat(m.link()).isEmpty();
    }

    @Test
    void parsesTheExampleOfH2oAiCloudDocumentation() throws Exception {
        AppManifest m = parser.parse("""
                [App]
                Name = "ai.h2o.wave.my-app"
                Version = "0.0.1"
                Title = "My awesome app"
                Description = "This is my awesome app"
                LongDescription = "LongDescription.md"
                Tags = ["DATA_SCIENCE"]
                InstanceLifecycle = "ON_DEMAND"
                InstanceTimeout = "1h"

                [Runtime]
                Module = "app.run"
                VolumeMount = "/data"
                VolumeSize = "1Gi"
                ResourceVolumeSize = "2Gi"
                MemoryLimit = "500Mi"
                MemoryReservation = "400Mi"
                CPULimit = "1.5"
                CPUReservation = "500m"
                GPUCount = 1
                GPUType = ""
                EnableOIDC = false
                EnableSHM = false
                RoutingMode = "DOMAIN"

                [[Env]]
                Name = "ENVIRONMENT_VARIABLE_NAME"
                Secret = "SecretName"
                SecretKey = "SecretKeyName"

                [[Env]]
                Name = "ANOTHER_ENVIRONMENT_VARIABLE_NAME"
                Value = "some value"

                [[File]]
                Path = "some/path.file"
                Secret = "FileSecretName"
                SecretKey = "FileSecretKeyName"

                [[File]]
                Path = "/another/path.file"
                Value = '''
                some
                string
                '''
                """);
        assertThat(m.runtime().gpuType()).isEmpty();
        assertThat(m.env()).hasSize(2);
        assertThat(m.files()).hasSize(2);
    }

    @Test
    void minusOneTurnsTheIdleTimeoutOff() throws Exception {
        AppManifest m = parser.parse(APP + "InstanceTimeout = \"-1\"\n" + RUNTIME);
        assertThat(m.app().instanceTimeout()).contains(AppSection.TIMEOUT_OFF);
    }

    @Test
    void fillsDefaults() throws Exception {
        AppManifest m = parser.parse(APP + RUNTIME);
        assertThat(m.app().title()).isEqualTo("my-app");
        assertThat(m.app().description()).isEmpty();
        assertThat(m.app().tags()).isEmpty();
        assertThat(m.app().instanceLifecycle()).isEqualTo(InstanceLifecycle.ON_DEMAND);
        assertThat(m.app().instanceTimeout()).isEmpty();
        assertThat(m.runtime().routingMode()).isEqualTo(RoutingMode.BASE_URL);
        assertThat(m.runtime().appMode()).isEqualTo(AppMode.WAVE);
        assertThat(m.runtime().gpuCount()).isZero();
        assertThat(m.runtime().enableOidc()).isFalse();
        assertThat(m.env()).isEmpty();
        assertThat(m.files()).isEmpty();
    }

    @Test
    void linkAppNeedsNoRuntime() throws Exception {
        AppManifest m = parser.parse(APP + "InstanceLifecycle = \"LINK\"\n[Link]\nAddress = \"https://example.com/dash\"\n");
        assertThat(m.link()).contains(new LinkSection("https://example.com/dash"));
        assertThat(m.runtime()).isEqualTo(RuntimeSection.defaults());
    }

    @Test
    void acceptsNumbersAsCpuQuantitiesAndEnumsInAnyCase() throws Exception {
        AppManifest m = parser.parse(APP + RUNTIME
                + "CPULimit = 2\nCPUReservation = 0.5\nRoutingMode = \"domain\"\nAppMode = \"PYTHON\"\n");
        assertThat(m.runtime().cpuLimit()).contains("2");
        assertThat(m.runtime().cpuReservation()).contains("0.5");
        assertThat(m.runtime().routingMode()).isEqualTo(RoutingMode.DOMAIN);
        assertThat(m.runtime().appMode()).isEqualTo(AppMode.PYTHON);
    }

    @Test
    void reportsEveryViolationAtOnce() {
        BundleException e = invalid(parser, """
                [App]
                Name = "My App"
                Title = 7
                InstanceTimeout = "soon"
                Colour = "blue"
                [Runtime]
                MemoryLimit = "lots"
                Port = 8080
                [[Env]]
                Name = "H2O_CLOUD_TOKEN"
                Value = "x"
                Secret = "s"
                [Extra]
                """);
        assertThat(e.error()).isEqualTo(BundleError.INVALID_MANIFEST);
        assertThat(e.violations()).extracting(FieldViolation::field).contains("App.Name", "App.Version",
                "App.Title", "App.InstanceTimeout", "App.Colour", "Runtime.Module", "Runtime.MemoryLimit",
                "Runtime.Port", "Env[0].Name", "Env[0]", "Extra");
        assertThat(e.getMessage()).startsWith("app.toml has " + e.violations().size() + " problems:")
                .contains("App.Name: must be lowercase", "Runtime.MemoryLimit: 'lots' is not a Kubernetes quantity");
    }

    static Stream<Arguments> violations() {
        String link = APP + "InstanceLifecycle = \"LINK\"\n";
        return Stream.of(
                // [App] identity
                Arguments.of("[App]\nVersion = \"1\"\n" + RUNTIME, "App.Name", "is required"),
                Arguments.of("[App]\nName = \"\"\nVersion = \"1\"\n" + RUNTIME, "App.Name", "must not be empty"),
                Arguments.of("[App]\nName = \"" + "a".repeat(64) + "\"\nVersion = \"1\"\n" + RUNTIME, "App.Name",
                        "at most 63 characters (is 64)"),
                Arguments.of("[App]\nName = \"My_App\"\nVersion = \"1\"\n" + RUNTIME, "App.Name", "lowercase letters"),
                Arguments.of("[App]\nName = \"-app\"\nVersion = \"1\"\n" + RUNTIME, "App.Name", "starting and ending"),
                Arguments.of("[App]\nName = \"app.\"\nVersion = \"1\"\n" + RUNTIME, "App.Name", "starting and ending"),
                Arguments.of("[App]\nName = 5\nVersion = \"1\"\n" + RUNTIME, "App.Name", "must be a string, not an integer"),
                Arguments.of("[App]\nName = \"app\"\n" + RUNTIME, "App.Version", "is required"),
                Arguments.of("[App]\nName = \"app\"\nVersion = \"1.0.0+build.5\"\n" + RUNTIME, "App.Version", "letters, digits"),
                Arguments.of("[App]\nName = \"app\"\nVersion = \"1." + "0".repeat(62) + "\"\n" + RUNTIME, "App.Version", "at most 63"),
                Arguments.of("[App]\nName = \"app\"\nVersion = 1.0\n" + RUNTIME, "App.Version", "must be a string, not a float"),
                // [App] texts
                Arguments.of(APP + "Title = \"" + "t".repeat(101) + "\"\n" + RUNTIME, "App.Title", "at most 100"),
                Arguments.of(APP + "Title = \"a\\u0007b\"\n" + RUNTIME, "App.Title", "control characters"),
                Arguments.of(APP + "Description = \"" + "d".repeat(4001) + "\"\n" + RUNTIME, "App.Description", "at most 4000"),
                Arguments.of(APP + "Description = [\"x\"]\n" + RUNTIME, "App.Description", "not an array"),
                Arguments.of(APP + "LongDescription = \"../README.md\"\n" + RUNTIME, "App.LongDescription", "climbs out"),
                Arguments.of(APP + "LongDescription = \"/etc/passwd\"\n" + RUNTIME, "App.LongDescription", "absolute"),
                Arguments.of(APP + "LongDescription = \"docs\\\\README.md\"\n" + RUNTIME, "App.LongDescription", "backslash"),
                Arguments.of(APP + "Tags = \"DATA\"\n" + RUNTIME, "App.Tags", "must be an array of strings"),
                Arguments.of(APP + "Tags = [\"a\", 1]\n" + RUNTIME, "App.Tags[1]", "must be a string, not an integer"),
                Arguments.of(APP + "Tags = [\"Demo\", \"demo\"]\n" + RUNTIME, "App.Tags[1]", "repeats Tags[0]"),
                Arguments.of(APP + "Tags = [\" \"]\n" + RUNTIME, "App.Tags[0]", "must not be empty"),
                Arguments.of(APP + "Tags = [\"" + "t".repeat(65) + "\"]\n" + RUNTIME, "App.Tags[0]", "at most 64"),
                // [App] lifecycle
                Arguments.of(APP + "InstanceLifecycle = \"SOMETIMES\"\n" + RUNTIME, "App.InstanceLifecycle",
                        "must be one of ON_DEMAND, MANAGED, LINK, not 'SOMETIMES'"),
                Arguments.of(APP + "InstanceTimeout = \"2 hours\"\n" + RUNTIME, "App.InstanceTimeout", "not a duration"),
                Arguments.of(APP + "InstanceTimeout = \"0m\"\n" + RUNTIME, "App.InstanceTimeout", "longer than zero"),
                Arguments.of(APP + "InstanceTimeout = 30\n" + RUNTIME, "App.InstanceTimeout", "must be a string, not an integer"),
                Arguments.of(APP + "InstanceTimeout = 1979-05-27\n" + RUNTIME, "App.InstanceTimeout", "not a date/time"),
                Arguments.of(link + "InstanceTimeout = \"1h\"\n[Link]\nAddress = \"https://x.io\"\n",
                        "App.InstanceTimeout", "no meaning when InstanceLifecycle is LINK"),
                // unknown keys and sections
                Arguments.of(APP + "Colour = \"blue\"\n" + RUNTIME, "App.Colour", "unknown key"),
                Arguments.of(APP + "title = \"x\"\n" + RUNTIME, "App.title", "did you mean Title?"),
                Arguments.of(APP + "Category = \"Other\"\n" + RUNTIME, "App.Category", "use Tags"),
                Arguments.of(APP + RUNTIME + "[Deploy]\nReplicas = 2\n", "Deploy", "unknown section"),
                Arguments.of(APP + RUNTIME + "[runtime]\n", "runtime", "did you mean Runtime?"),
                Arguments.of(RUNTIME, "App", "section [App] is required"),
                Arguments.of("App = \"x\"\n" + RUNTIME, "App", "must be a table [App], not a string"),
                // [Runtime]
                Arguments.of(APP, "Runtime.Module", "is required when App.InstanceLifecycle is ON_DEMAND"),
                Arguments.of(APP + "InstanceLifecycle = \"MANAGED\"\n[Runtime]\nMemoryLimit = \"1Gi\"\n",
                        "Runtime.Module", "is required when App.InstanceLifecycle is MANAGED"),
                Arguments.of(APP + "[Runtime]\nModule = \"my-app.main\"\n", "Runtime.Module", "dotted Python module"),
                Arguments.of(APP + "[Runtime]\nModule = \"app.\"\n", "Runtime.Module", "dotted Python module"),
                Arguments.of(APP + "[Runtime]\nModule = \"1app\"\n", "Runtime.Module", "dotted Python module"),
                Arguments.of(link + "[Runtime]\nModule = \"app\"\n[Link]\nAddress = \"https://x.io\"\n",
                        "Runtime.Module", "must not be set when App.InstanceLifecycle is LINK"),
                Arguments.of(APP + RUNTIME + "RuntimeVersion = \"py 3.10\"\n", "Runtime.RuntimeVersion", "runtime name"),
                Arguments.of(APP + RUNTIME + "MemoryLimit = \"512MB\"\n", "Runtime.MemoryLimit", "not a Kubernetes quantity"),
                Arguments.of(APP + RUNTIME + "MemoryLimit = \"-1Gi\"\n", "Runtime.MemoryLimit", "not a Kubernetes quantity"),
                Arguments.of(APP + RUNTIME + "MemoryLimit = \"0\"\n", "Runtime.MemoryLimit", "more than zero"),
                Arguments.of(APP + RUNTIME + "MemoryLimit = true\n", "Runtime.MemoryLimit", "must be a quantity"),
                Arguments.of(APP + RUNTIME + "MemoryLimit = \"1Gi\"\nMemoryReservation = \"2Gi\"\n",
                        "Runtime.MemoryReservation", "(2Gi) must not exceed MemoryLimit (1Gi)"),
                Arguments.of(APP + RUNTIME + "CPULimit = \"1.5 cores\"\n", "Runtime.CPULimit", "not a Kubernetes quantity"),
                Arguments.of(APP + RUNTIME + "CPULimit = \"250m\"\nCPUReservation = 0.5\n", "Runtime.CPUReservation",
                        "must not exceed CPULimit"),
                Arguments.of(APP + RUNTIME + "GPUCount = -1\n", "Runtime.GPUCount", "between 0 and 64"),
                Arguments.of(APP + RUNTIME + "GPUCount = 65\n", "Runtime.GPUCount", "between 0 and 64"),
                Arguments.of(APP + RUNTIME + "GPUCount = \"1\"\n", "Runtime.GPUCount", "must be an integer, not a string"),
                Arguments.of(APP + RUNTIME + "GPUCount = 1.5\n", "Runtime.GPUCount", "must be an integer, not a float"),
                Arguments.of(APP + RUNTIME + "GPUCount = 99999999999999999999\n", "Runtime.GPUCount", "out of range"),
                Arguments.of(APP + RUNTIME + "GPUType = \"a100\"\n", "Runtime.GPUType", "needs GPUCount"),
                Arguments.of(APP + RUNTIME + "VolumeMount = \"data\"\nVolumeSize = \"1Gi\"\n", "Runtime.VolumeMount", "absolute path"),
                Arguments.of(APP + RUNTIME + "VolumeMount = \"/\"\nVolumeSize = \"1Gi\"\n", "Runtime.VolumeMount", "absolute path"),
                Arguments.of(APP + RUNTIME + "VolumeMount = \"/data/../etc\"\nVolumeSize = \"1Gi\"\n", "Runtime.VolumeMount", "climbs out"),
                Arguments.of(APP + RUNTIME + "VolumeMount = \"/data\"\n", "Runtime.VolumeSize", "required when VolumeMount"),
                Arguments.of(APP + RUNTIME + "VolumeSize = \"1Gi\"\n", "Runtime.VolumeMount", "required when VolumeSize"),
                Arguments.of(APP + RUNTIME + "VolumeMount = \"/data\"\nVolumeSize = \"lots\"\n", "Runtime.VolumeSize", "quantity"),
                Arguments.of(APP + RUNTIME + "ResourceVolumeSize = \"1GB\"\n", "Runtime.ResourceVolumeSize", "quantity"),
                Arguments.of(APP + RUNTIME + "EnableOIDC = \"yes\"\n", "Runtime.EnableOIDC", "true or false, not a string"),
                Arguments.of(APP + RUNTIME + "EnableSHM = 1\n", "Runtime.EnableSHM", "true or false, not an integer"),
                Arguments.of(APP + RUNTIME + "RoutingMode = \"PATH\"\n", "Runtime.RoutingMode", "one of DOMAIN, BASE_URL"),
                Arguments.of(APP + RUNTIME + "AppMode = \"node\"\n", "Runtime.AppMode", "one of WAVE, PYTHON"),
                Arguments.of(APP + RUNTIME + "AppMode = \"python\"\nPort = 0\n", "Runtime.Port", "between 1 and 65535"),
                Arguments.of(APP + RUNTIME + "AppMode = \"python\"\nPort = 65536\n", "Runtime.Port", "between 1 and 65535"),
                Arguments.of(APP + RUNTIME + "AppMode = \"python\"\nPort = \"8080\"\n", "Runtime.Port", "must be an integer"),
                Arguments.of(APP + RUNTIME + "Port = 8080\n", "Runtime.Port", "only meaningful when AppMode is python"),
                Arguments.of(APP + RUNTIME + "EntryRoute = \"demo\"\n", "Runtime.EntryRoute", "starting with '/'"),
                Arguments.of(APP + RUNTIME + "EntryRoute = \"/demo?x=1\"\n", "Runtime.EntryRoute", "without spaces, query"),
                Arguments.of(APP + RUNTIME + "EntryRoute = \"/a/../b\"\n", "Runtime.EntryRoute", "'..' segments"),
                Arguments.of(APP + RUNTIME + "EntryRoute = \"/" + "a".repeat(200) + "\"\n", "Runtime.EntryRoute", "at most 200"),
                Arguments.of(APP + RUNTIME + "EntryRoute = 1\n", "Runtime.EntryRoute", "must be a string"),
                Arguments.of(APP + RUNTIME + "Replicas = 3\n", "Runtime.Replicas", "unknown key"),
                Arguments.of("Runtime = 3\n" + APP, "Runtime", "must be a table"),
                // [[Env]]
                Arguments.of(APP + RUNTIME + "[Env]\nName = \"A\"\n", "Env", "must be an array of tables [[Env]]"),
                Arguments.of("Env = [\"A=1\"]\n" + APP + RUNTIME, "Env[0]", "must be a table, not a string"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nValue = \"1\"\n", "Env[0].Name", "is required"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"1ABC\"\nValue = \"1\"\n", "Env[0].Name", "not starting with a digit"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"MY-VAR\"\nValue = \"1\"\n", "Env[0].Name", "letters, digits and '_'"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"H2O_CLOUD_TOKEN\"\nValue = \"1\"\n", "Env[0].Name", "reserved prefix H2O_CLOUD"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"H2O_WAVE_ADDRESS\"\nValue = \"1\"\n", "Env[0].Name", "reserved prefix H2O_WAVE"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"WAVESTORE_URL\"\nValue = \"1\"\n", "Env[0].Name", "reserved prefix WAVESTORE"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"h2o_wave_x\"\nValue = \"1\"\n", "Env[0].Name", "reserved prefix H2O_WAVE"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = \"1\"\nSecret = \"s\"\n", "Env[0]", "has both Value and Secret"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\n", "Env[0]", "needs a Value or a Secret"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = \"1\"\nSecretKey = \"k\"\n", "Env[0].SecretKey", "only allowed together with Secret"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = \"1\"\nOptional = true\n", "Env[0].Optional", "only meaningful with Secret"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nSecret = \"s\"\nOptional = \"yes\"\n", "Env[0].Optional", "true or false"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = 5\n", "Env[0].Value", "must be a string, not an integer"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nSecret = \"my secret\"\n", "Env[0].Secret", "secret name"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nSecret = \"s\"\nSecretKey = \"a key\"\n", "Env[0].SecretKey", "letters, digits"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = \"1\"\nSource = \"x\"\n", "Env[0].Source", "unknown key"),
                Arguments.of(APP + RUNTIME + "[[Env]]\nName = \"A\"\nValue = \"1\"\n[[Env]]\nName = \"B\"\nValue = \"2\"\n"
                        + "[[Env]]\nName = \"A\"\nValue = \"3\"\n", "Env[2].Name", "repeats Env[0].Name 'A'"),
                // [[File]]
                Arguments.of(APP + RUNTIME + "[[File]]\nValue = \"x\"\n", "File[0].Path", "is required"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"../x\"\nValue = \"x\"\n", "File[0].Path", "climbs out"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"/etc/../x\"\nValue = \"x\"\n", "File[0].Path", "climbs out"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"a\\u0000b\"\nValue = \"x\"\n", "File[0].Path", "control characters"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"x\"\nValue = \"x\"\nSecret = \"s\"\n", "File[0]", "has both Value and Secret"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"x\"\n", "File[0]", "needs a Value or a Secret"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"x\"\nValue = \"x\"\nSecretKey = \"k\"\n", "File[0].SecretKey", "only allowed together with Secret"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"x\"\nValue = \"1\"\n[[File]]\nPath = \"x\"\nValue = \"2\"\n", "File[1].Path", "repeats File[0].Path"),
                Arguments.of(APP + RUNTIME + "[[File]]\nPath = \"x\"\nValue = \"1\"\nMode = \"0600\"\n", "File[0].Mode", "unknown key"),
                // [Link]
                Arguments.of(APP + RUNTIME + "[Link]\nAddress = \"https://x.io\"\n", "Link", "only allowed when App.InstanceLifecycle is LINK"),
                Arguments.of(link, "Link.Address", "is required when App.InstanceLifecycle is LINK"),
                Arguments.of(link + "[Link]\n", "Link.Address", "is required"),
                Arguments.of(link + "[Link]\nAddress = \"ftp://x.io/file\"\n", "Link.Address", "http:// or https://"),
                Arguments.of(link + "[Link]\nAddress = \"javascript:alert(1)\"\n", "Link.Address", "http:// or https://"),
                Arguments.of(link + "[Link]\nAddress = \"https://exa mple.com\"\n", "Link.Address", "not a valid URL"),
                Arguments.of(link + "[Link]\nAddress = \"https:///path\"\n", "Link.Address", "must name a host"),
                Arguments.of(link + "[Link]\nAddress = \"https://me:secret@x.io\"\n", "Link.Address", "user name or password"),
                Arguments.of(link + "[Link]\nAddress = \"https://x.io\"\nTitle = \"x\"\n", "Link.Title", "unknown key"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("violations")
    void reportsTheFieldAndWhatIsWrong(String toml, String field, String message) {
        BundleException e = invalid(parser, toml);
        assertThat(e.violations()).as(e.getMessage())
                .anySatisfy(v -> {
                    assertThat(v.field()).isEqualTo(field);
                    assertThat(v.message()).contains(message);
                });
        assertThat(e.violations()).as("one mistake, one violation: " + e.getMessage())
                .filteredOn(v -> v.field().equals(field)).hasSize(1);
    }

    @Test
    void allowsReservedEnvNamesOnTheAllowList() throws Exception {
        String toml = APP + RUNTIME + "[[Env]]\nName = \"H2O_WAVE_MAX_REQUEST_SIZE\"\nValue = \"20M\"\n"
                + "[[Env]]\nName = \"WAVESTORE_FEATURE\"\nValue = \"on\"\n";
        ManifestParser exact = new ManifestParser(new ManifestPolicy(List.of("H2O_WAVE_MAX_REQUEST_SIZE")));
        assertThat(invalid(exact, toml).violations()).extracting(FieldViolation::field).containsExactly("Env[1].Name");
        ManifestParser prefixes = new ManifestParser(new ManifestPolicy(List.of("H2O_WAVE_*", "wavestore_*")));
        assertThat(prefixes.parse(toml).env()).extracting(EnvVarSpec::name)
                .containsExactly("H2O_WAVE_MAX_REQUEST_SIZE", "WAVESTORE_FEATURE");
        assertThatThrownBy(() -> new ManifestPolicy(List.of("H2O_*_X"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void syntaxErrorsAreUnparsableWithTheLine() {
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> parser.parse("[App]\nName = \"x\"\nVersion = 1.0.0\n"));
        assertThat(e.error()).isEqualTo(BundleError.UNPARSABLE_MANIFEST);
        assertThat(e.getMessage()).contains("line 3");
        assertThat(e.violations()).isEmpty();
    }

    @Test
    void duplicateKeysAndTablesAreUnparsable() {
        for (String toml : List.of(APP + "Name = \"again\"\n" + RUNTIME, APP + RUNTIME + "[App]\nTitle = \"x\"\n")) {
            BundleException e = catchThrowableOfType(BundleException.class, () -> parser.parse(toml));
            assertThat(e.error()).isEqualTo(BundleError.UNPARSABLE_MANIFEST);
            assertThat(e.getMessage()).containsPattern("line \\d+");
        }
    }

    @Test
    void anEmptyManifestLacksApp() {
        assertThat(invalid(parser, "").violations()).extracting(FieldViolation::field).contains("App");
    }

    @Test
    void refusesAHugeManifest() {
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> parser.parse(APP + RUNTIME + "#" + "x".repeat(ManifestParser.MAX_MANIFEST_BYTES)));
        assertThat(e.error()).isEqualTo(BundleError.TOO_LARGE);
    }

    static BundleException invalid(ManifestParser parser, String toml) {
        BundleException e = catchThrowableOfType(BundleException.class, () -> parser.parse(toml));
        assertThat(e).as("should be refused:\n" + toml).isNotNull();
        assertThat(e.error()).as(e.getMessage()).isEqualTo(BundleError.INVALID_MANIFEST);
        return e;
    }
}
