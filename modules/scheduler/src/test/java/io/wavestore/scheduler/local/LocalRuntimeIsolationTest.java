package io.wavestore.scheduler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where instances cannot be confined, none starts unless confinement is turned off; launchers keep little of the store. */
class LocalRuntimeIsolationTest {

    @TempDir
    Path root;

    @Test
    void withoutASandboxNoInstanceStartsAndNothingIsLeftBehind() {
        LocalRuntime runtime = new LocalRuntime(settings(LocalSettings.Isolation.SANDBOX), Clock.systemUTC(), id -> "",
                Optional.of("bubblewrap (bwrap) cannot be run: No such file or directory"), Optional.empty());

        assertThatThrownBy(() -> runtime.install(LocalRuntimeSharedRootTest.spec("one", false)))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("cannot be isolated on this machine (bubblewrap (bwrap) cannot be run")
                .hasMessageContaining("WAVESTORE_LOCAL_ISOLATION=off");
        assertThat(runtime.list()).isEmpty();
        assertThat(root.resolve("one")).doesNotExist();
        assertThat(runtime.describe()).contains("unavailable", "instances do not start");

        runtime.install(LocalRuntimeSharedRootTest.spec("suspended", true));
        assertThat(runtime.list()).as("a suspended instance runs nothing: it may be kept").hasSize(1);
        assertThatThrownBy(() -> runtime.upgrade(LocalRuntimeSharedRootTest.spec("suspended", false)))
                .as("but not resumed").hasMessageContaining("cannot be isolated");
        assertThat(Files.exists(root.resolve("suspended").resolve(LauncherPids.FILE))).isFalse();
    }

    @Test
    void turnedOffConfinementIsNotCheckedAndSaysSo() {
        LocalRuntime runtime = new LocalRuntime(settings(LocalSettings.Isolation.OFF), Clock.systemUTC());
        assertThat(runtime.describe()).contains("unconfined");
    }

    @Test
    void aLauncherKeepsOnlyWhatRunningPythonNeedsOfTheStoresEnvironment() {
        for (String kept : List.of("PATH", "HOME", "LANG", "LC_ALL", "PIP_INDEX_URL", "PYENV_ROOT", "HTTPS_PROXY",
                "no_proxy", "SSL_CERT_FILE")) {
            assertThat(LauncherEnvironment.kept(kept)).as(kept).isTrue();
        }
        for (String dropped : List.of("WAVESTORE_INSTANCE_CREDENTIAL_SECRET", "WAVESTORE_DB_PASSWORD", "PGPASSWORD",
                "AWS_SECRET_ACCESS_KEY", "JAVA_TOOL_OPTIONS", "LD_PRELOAD", "KUBECONFIG")) {
            assertThat(LauncherEnvironment.kept(dropped)).as(dropped).isFalse();
        }
    }

    private LocalSettings settings(LocalSettings.Isolation isolation) {
        return new LocalSettings(root, List.of("/nonexistent/launcher"), Map.of(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Optional.empty(), isolation, LocalSettings.DEFAULT_SANDBOX_UID);
    }
}
