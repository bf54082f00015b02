package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.bundle.AppMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherConfigTest {
    private static final String SHA = "ab".repeat(32);

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("WAVESTORE_INSTANCE_ID", "i-123");
        env.put("WAVESTORE_BUNDLE_FILE", "/bundles/app.wave");
        env.put("WAVESTORE_WORK_DIR", "/srv/instance/app");
        return env;
    }

    private static Map<String, String> downloading() {
        Map<String, String> env = minimal();
        env.remove("WAVESTORE_BUNDLE_FILE");
        env.put("WAVESTORE_BUNDLE_URL", "http://store:8080/api/v1/instances/i-123/bundle");
        env.put("WAVESTORE_BUNDLE_SHA256", SHA);
        env.put("WAVESTORE_INSTANCE_TOKEN", "s3cr3t-token");
        return env;
    }

    private static ConfigException error(Map<String, String> env) {
        try {
            LauncherConfig.fromEnvironment(env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for " + env.keySet());
    }

    @Test
    void minimalConfigurationHasTheDocumentedDefaults() throws Exception {
        LauncherConfig c = LauncherConfig.fromEnvironment(minimal());
        assertThat(c.instanceId()).isEqualTo("i-123");
        assertThat(c.bundleSource()).isEqualTo(new LauncherConfig.BundleSource.File(Path.of("/bundles/app.wave")));
        assertThat(c.workDir()).isEqualTo(Path.of("/srv/instance/app"));
        assertThat(c.venvDir()).isEqualTo(Path.of("/srv/instance/venv"));
        assertThat(c.waveDataDir()).isEqualTo(Path.of("/srv/instance/wave-data"));
        assertThat(c.listen()).isEqualTo(new ListenAddress("", 10101));
        assertThat(c.baseUrl()).isEqualTo("/");
        assertThat(c.python()).isEqualTo("python3");
        assertThat(c.installTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(c.startTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.stopGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.systemPackages()).isEqualTo(LauncherConfig.SystemPackagesMode.AUTO);
        assertThat(c.appModule()).isEmpty();
        assertThat(c.appMode()).isEmpty();
        assertThat(c.appEnv()).isEmpty();
        assertThat(c.appFiles()).isEmpty();
        assertThat(c.appFileRoots()).isEmpty();
        assertThat(c.token()).isEmpty();
        assertThat(c.progressUrl()).isEmpty();
    }

    @Test
    void everySettingIsRead() throws Exception {
        Map<String, String> env = downloading();
        env.put("WAVESTORE_PROGRESS_URL", "https://store/api/v1/instances/i-123/progress");
        env.put("WAVESTORE_VENV_DIR", "/resources/venv");
        env.put("WAVESTORE_LISTEN_ADDRESS", "127.0.0.1:18000");
        env.put("H2O_WAVE_BASE_URL", "/instance/i-123");
        env.put("WAVESTORE_APP_MODULE", "my_app.main");
        env.put("WAVESTORE_APP_MODE", "python");
        env.put("WAVESTORE_APP_PORT", "8501");
        env.put("WAVESTORE_APP_ENV_JSON", "{\"GREETING\":\"hi\",\"EMPTY\":\"\"}");
        env.put("WAVESTORE_APP_FILES_JSON", "{\"conf/a.ini\":\"x=1\"}");
        env.put("WAVESTORE_APP_FILES_ROOTS", "/:/data");
        env.put("WAVESTORE_APP_SECRET_FILES_JSON", "{\"creds.json\":\"/var/run/wavestore/secret-files/0/creds.json\"}");
        env.put("WAVESTORE_PYTHON", "/usr/bin/python3.11");
        env.put("WAVESTORE_INSTALL_TIMEOUT", "1h30m");
        env.put("WAVESTORE_START_TIMEOUT", "90s");
        env.put("WAVESTORE_STOP_GRACE", "3s");
        env.put("WAVESTORE_SYSTEM_PACKAGES", "skip");
        env.put("WAVESTORE_BUNDLE_MAX_UNCOMPRESSED_BYTES", "2GiB");
        env.put("WAVESTORE_BUNDLE_MAX_ENTRIES", "20");
        LauncherConfig c = LauncherConfig.fromEnvironment(env);
        assertThat(c.bundleSha256()).contains(SHA);
        assertThat(c.token()).contains("s3cr3t-token");
        assertThat(c.venvDir()).isEqualTo(Path.of("/resources/venv"));
        assertThat(c.listen().probeHost()).isEqualTo("127.0.0.1");
        assertThat(c.listen().port()).isEqualTo(18000);
        assertThat(c.baseUrl()).as("a trailing slash is added").isEqualTo("/instance/i-123/");
        assertThat(c.appModule()).contains("my_app.main");
        assertThat(c.appMode()).contains(AppMode.PYTHON);
        assertThat(c.appPort()).contains(8501);
        assertThat(c.appEnv()).containsEntry("GREETING", "hi").containsEntry("EMPTY", "");
        assertThat(c.appFiles()).containsEntry("conf/a.ini", "x=1");
        assertThat(c.appSecretFiles()).containsEntry("creds.json",
                Path.of("/var/run/wavestore/secret-files/0/creds.json"));
        assertThat(c.appFileRoots()).containsExactly(Path.of("/"), Path.of("/data"));
        assertThat(c.installTimeout()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.startTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.stopGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.systemPackages()).isEqualTo(LauncherConfig.SystemPackagesMode.SKIP);
        assertThat(c.bundleLimits().maxUncompressedBytes()).isEqualTo(2L << 30);
        assertThat(c.bundleLimits().maxEntries()).isEqualTo(20);
    }

    @Test
    void missingRequiredVariablesAreNamed() {
        Map<String, String> env = minimal();
        env.remove("WAVESTORE_INSTANCE_ID");
        assertThat(error(env).variable()).isEqualTo("WAVESTORE_INSTANCE_ID");
        assertThat(error(env)).hasMessage("WAVESTORE_INSTANCE_ID must be set");

        env = minimal();
        env.put("WAVESTORE_INSTANCE_ID", "   ");
        assertThat(error(env).variable()).as("blank is unset").isEqualTo("WAVESTORE_INSTANCE_ID");

        env = minimal();
        env.remove("WAVESTORE_BUNDLE_FILE");
        assertThat(error(env)).hasMessageContaining("WAVESTORE_BUNDLE_URL or WAVESTORE_BUNDLE_FILE must be set");

        env = downloading();
        env.put("WAVESTORE_BUNDLE_FILE", "/x.wave");
        assertThat(error(env)).hasMessageContaining("both set");
    }

    @Test
    void aDownloadNeedsADigestAndACredential() {
        Map<String, String> env = downloading();
        env.remove("WAVESTORE_BUNDLE_SHA256");
        assertThat(error(env).variable()).isEqualTo("WAVESTORE_BUNDLE_SHA256");

        env = downloading();
        env.remove("WAVESTORE_INSTANCE_TOKEN");
        assertThat(error(env).variable()).isEqualTo("WAVESTORE_INSTANCE_TOKEN");

        env = minimal();
        env.put("WAVESTORE_PROGRESS_URL", "http://store/progress");
        assertThat(error(env).variable()).as("progress posts carry the token too")
                .isEqualTo("WAVESTORE_INSTANCE_TOKEN");
    }

    @Test
    void malformedValuesAreRefusedByName() {
        assertBad("WAVESTORE_INSTANCE_ID", "a b", "letters, digits");
        assertBad("WAVESTORE_BUNDLE_SHA256", "xyz", "64 hexadecimal digits");
        assertBad("WAVESTORE_BUNDLE_URL", "ftp://store/bundle", "http:// or https://");
        assertBad("WAVESTORE_PROGRESS_URL", "store/progress", "http:// or https://");
        assertBad("WAVESTORE_LISTEN_ADDRESS", "10101", "host:port");
        assertBad("WAVESTORE_LISTEN_ADDRESS", ":0", "between 1 and 65535");
        assertBad("WAVESTORE_LISTEN_ADDRESS", "::1:80", "brackets");
        assertBad("H2O_WAVE_BASE_URL", "instance/x/", "starting with a single /");
        assertBad("H2O_WAVE_BASE_URL", "/a b/", "without spaces");
        assertBad("WAVESTORE_APP_MODULE", "my-app", "dotted Python module name");
        assertBad("WAVESTORE_APP_MODE", "streamlit", "wave or python");
        assertBad("WAVESTORE_APP_PORT", "70000", "between 1 and 65535");
        assertBad("WAVESTORE_APP_ENV_JSON", "[1]", "JSON object");
        assertBad("WAVESTORE_APP_ENV_JSON", "{oops", "not valid JSON");
        assertBad("WAVESTORE_APP_ENV_JSON", "{\"A=B\":\"x\"}", "invalid variable name");
        assertBad("WAVESTORE_APP_FILES_JSON", "{\"a\":1}", "'a' is number");
        assertBad("WAVESTORE_APP_FILES_ROOTS", "relative/dir", "absolute directories");
        assertBad("WAVESTORE_APP_SECRET_FILES_JSON", "{\"a\":\"relative/file\"}", "absolute path of a mounted file");
        assertBad("WAVESTORE_APP_SECRET_FILES_JSON", "{\"a\":2}", "'a' is number");
        assertBad("WAVESTORE_INSTALL_TIMEOUT", "soon", "not a duration");
        assertBad("WAVESTORE_START_TIMEOUT", "0s", "longer than zero");
        assertBad("WAVESTORE_SYSTEM_PACKAGES", "always", "auto or skip");
        assertBad("WAVESTORE_BUNDLE_MAX_ENTRIES", "many", "not a number");
        assertBad("WAVESTORE_BUNDLE_MAX_ENTRY_BYTES", "5 parsecs", "unknown unit");
        assertBad("WAVESTORE_VENV_DIR", "/srv/instance/app/.venv", "must not be inside WAVESTORE_WORK_DIR");
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() throws Exception {
        Map<String, String> env = minimal();
        env.put("WAVESTORE_APP_ENV_JSON", "{\"PASSWORD\":{\"nested\":\"hunter2\"}}");
        assertThat(error(env).getMessage()).contains("PASSWORD").doesNotContain("hunter2");

        env = downloading();
        env.put("WAVESTORE_INSTANCE_TOKEN", "bad token hunter2");
        assertThat(error(env).getMessage()).doesNotContain("hunter2");

        LauncherConfig c = LauncherConfig.fromEnvironment(downloading());
        assertThat(c.toString()).doesNotContain("s3cr3t-token");
    }

    private static void assertBad(String variable, String value, String messagePart) {
        Map<String, String> env = variable.equals("WAVESTORE_BUNDLE_URL") || variable.equals("WAVESTORE_BUNDLE_SHA256")
                ? downloading() : minimal();
        if (variable.equals("WAVESTORE_PROGRESS_URL")) {
            env.put("WAVESTORE_INSTANCE_TOKEN", "t");
        }
        env.put(variable, value);
        ConfigException e = error(env);
        assertThat(e.variable()).as(variable + "=" + value).isEqualTo(variable);
        assertThat(e).hasMessageStartingWith(variable).hasMessageContaining(messagePart);
    }

    @Test
    void sizesReadLikeTheStoreConfiguration() {
        assertThat(ByteSize.parse("10000")).isEqualTo(10_000);
        assertThat(ByteSize.parse("512KiB")).isEqualTo(512L << 10);
        assertThat(ByteSize.parse("512MiB")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1G")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("5MB")).isEqualTo(5_000_000);
        assertThatThrownBy(() -> ByteSize.parse("-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
