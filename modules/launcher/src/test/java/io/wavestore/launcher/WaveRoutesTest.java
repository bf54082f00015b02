package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaveRoutesTest {

    private final List<List<String>> told = new ArrayList<>();
    private final WaveRoutes routes = new WaveRoutes(told::add);

    @Test
    void learnsTheRoutesWavedAddsInOrder() {
        routes.accept("2026/12/07 00:29:13 # {\"address\":\"127.0.0.1:18765\",\"base-url\":\"/instance/i-1/\",\"t\":\"listen\"}");
        routes.accept("2026/12/07 00:29:17 # {\"host\":\"http://127.0.0.1:18766\",\"route\":\"/demo\",\"t\":\"app_add\"}");
        routes.accept("2026/12/07 00:29:18 # {\"host\":\"http://127.0.0.1:18766\",\"route\":\"/\",\"t\":\"app_add\"}");
        routes.accept("2026/12/07 00:29:19 # {\"host\":\"http://127.0.0.1:18766\",\"route\":\"/demo\",\"t\":\"app_add\"}");
        assertThat(routes.current()).containsExactly("/demo", "/");
        assertThat(told).containsExactly(List.of("/demo"), List.of("/demo", "/"));
    }

    @Test
    void forgetsARemovedRoute() {
        routes.accept("# {\"route\":\"/demo\",\"t\":\"app_add\"}");
        routes.accept("# {\"route\":\"/demo\",\"t\":\"app_remove\"}");
        assertThat(routes.current()).isEmpty();
        assertThat(told).containsExactly(List.of("/demo"), List.of());
    }

    @Test
    void ignoresEverythingElse() {
        routes.accept("2026/12/07 00:29:13 # │  Running at http://127.0.0.1:18765/  │");
        routes.accept("# {\"route\":\"/x\",\"t\":\"app_ad");
        routes.accept("the app printed \"app_add\" # {\"route\":\"/x\",\"t\":\"something\"}");
        routes.accept("# {\"t\":\"app_add\"}");
        assertThat(routes.current()).isEmpty();
        assertThat(told).isEmpty();
    }
}
