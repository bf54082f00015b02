package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxTest {

    private static final Path INSTANCE = Path.of("/srv/store/data/instances/i-abc");

    @Test
    void withoutASandboxACommandRunsAsIs() throws ConfigException {
        Sandbox sandbox = new Sandbox(config(Map.of()));
        assertThat(sandbox.wrap(List.of("python3", "-V"), INSTANCE)).containsExactly("python3", "-V");
        assertThat(sandbox.environment(Map.of("HOME", "/root"))).containsEntry("HOME", "/root");
    }

    @Test
    void theChildrenSeeOnlyTheInstancesDirectoriesAndDropToTheSandboxUser() throws ConfigException {
        Sandbox sandbox = new Sandbox(config(Map.of("WAVESTORE_SANDBOX", "bwrap", "WAVESTORE_SANDBOX_UID", "59999",
                "PIP_CACHE_DIR", "/var/cache/pip")));
        List<String> installing = sandbox.wrap(List.of("pip", "install", "h2o-wave"), INSTANCE.resolve("app"));
        assertThat(installing.get(0)).isEqualTo("bwrap");
        assertThat(installing).doesNotContain("--unshare-user").contains("--unshare-pid", "--die-with-parent");
        assertThat(String.join(" ", installing))
                .contains("--perms 0755 --dir /srv --perms 0755 --dir /srv/store", "--perms 0755 --dir " + INSTANCE)
                .contains("--bind " + INSTANCE.resolve("app") + " " + INSTANCE.resolve("app"))
                .contains("--bind " + INSTANCE.resolve("venv") + " " + INSTANCE.resolve("venv"))
                .contains("--bind /var/cache/pip /var/cache/pip")
                .contains("-- setpriv --reuid=59999 --regid=59999 --clear-groups --inh-caps=-all --bounding-set=-all"
                        + " --no-new-privs -- pip install h2o-wave")
                .contains("--perms 0755 --dir /etc --ro-bind /etc/", "--ro-bind /etc/hosts /etc/hosts")
                .doesNotContain("--bind " + INSTANCE + " ", "--bind / ", "--ro-bind / ", "--ro-bind /etc /etc");
        assertThat(Collections.frequency(installing, INSTANCE.toString())).as("the instance's folder made once, bound never")
                .isEqualTo(1);

        sandbox.dependenciesInstalled();
        String running = String.join(" ", sandbox.wrap(List.of("waved"), INSTANCE.resolve("data")));
        assertThat(running).contains("--ro-bind " + INSTANCE.resolve("venv") + " " + INSTANCE.resolve("venv"))
                .doesNotContain("/var/cache/pip").contains("--chdir " + INSTANCE.resolve("data"));
        assertThat(sandbox.environment(Map.of("HOME", "/root", "TMPDIR", "/root/tmp")))
                .containsEntry("HOME", INSTANCE.resolve("data").toString()).doesNotContainKey("TMPDIR");
    }

    @Test
    void withoutAUserOfItsOwnTheSandboxIsAUserNamespace() throws ConfigException {
        List<String> command = new Sandbox(config(Map.of("WAVESTORE_SANDBOX", "bwrap"))).wrap(List.of("app"), INSTANCE);
        assertThat(command).contains("--unshare-user").doesNotContain("setpriv");
    }

    @Test
    void aSandboxUserMustNotBeRootNorComeWithoutASandbox() {
        assertThatThrownBy(() -> config(Map.of("WAVESTORE_SANDBOX", "bwrap", "WAVESTORE_SANDBOX_UID", "0")))
                .hasMessageContaining("WAVESTORE_SANDBOX_UID");
        assertThatThrownBy(() -> config(Map.of("WAVESTORE_SANDBOX_UID", "59999")))
                .hasMessageContaining("WAVESTORE_SANDBOX is not bwrap");
        assertThatThrownBy(() -> config(Map.of("WAVESTORE_SANDBOX", "firejail"))).hasMessageContaining("none or bwrap");
    }

    private static LauncherConfig config(Map<String, String> extra) throws ConfigException {
        Map<String, String> env = new HashMap<>(Map.of("WAVESTORE_INSTANCE_ID", "i-abc",
                "WAVESTORE_BUNDLE_FILE", "/tmp/app.wave", "WAVESTORE_WORK_DIR", INSTANCE.resolve("app").toString(),
                "WAVESTORE_VENV_DIR", INSTANCE.resolve("venv").toString(),
                "WAVESTORE_WAVE_DATA_DIR", INSTANCE.resolve("data").toString()));
        env.putAll(extra);
        return LauncherConfig.fromEnvironment(env);
    }
}
