package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
    @Test
    void childrenNeverSeeTheLauncherVariablesButGetTheInstanceEnv() {
        Map<String, String> base = ChildEnvironment.base(Map.of("PATH", "/usr/bin", "WAVESTORE_INSTANCE_TOKEN", "t",
                        "WAVESTORE_APP_ENV_JSON", "{}", "PIP_INDEX_URL", "https://mirror/simple", "DB_PASSWORD", "k8s"),
                Map.of("GREETING", "hi", "DB_PASSWORD", "from-json"));
        assertThat(base).doesNotContainKeys("WAVESTORE_INSTANCE_TOKEN", "WAVESTORE_APP_ENV_JSON")
                .containsEntry("PIP_INDEX_URL", "https://mirror/simple").containsEntry("GREETING", "hi")
                .containsEntry("DB_PASSWORD", "from-json");
    }

    @Test
    void theVenvComesFirstOnThePath() {
        Map<String, String> env = ChildEnvironment.inVenv(Map.of("PATH", "/usr/bin", "PYTHONHOME", "/x"),
                Path.of("/srv/venv"));
        assertThat(env).containsEntry("PATH", "/srv/venv/bin:/usr/bin").containsEntry("VIRTUAL_ENV", "/srv/venv")
                .containsEntry("PYTHONUNBUFFERED", "1").doesNotContainKey("PYTHONHOME");
    }
}
