package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EntryRoutesTest {

    @Test
    void theDeclaredRouteWins() {
        assertThat(EntryRoutes.landing(Optional.of("/start"), List.of("/demo", "/"))).contains("/start");
    }

    @Test
    void elseTheFirstRegisteredRoute() {
        assertThat(EntryRoutes.landing(Optional.empty(), List.of("/demo", "/other"))).contains("/demo");
    }

    @Test
    void anAppAtTheRootStaysThere() {
        assertThat(EntryRoutes.landing(Optional.empty(), List.of("/demo", "/"))).isEmpty();
        assertThat(EntryRoutes.landing(Optional.of("/"), List.of("/demo"))).isEmpty();
        assertThat(EntryRoutes.landing(Optional.empty(), List.of())).isEmpty();
    }

    @Test
    void aRegisteredRouteThatIsNoPathIsNotFollowed() {
        assertThat(EntryRoutes.landing(Optional.empty(), List.of("//evil.example/x"))).isEmpty();
        assertThat(EntryRoutes.landing(Optional.empty(), List.of("https://evil.example/"))).isEmpty();
    }

    @Test
    void routesArePlainPaths() {
        assertThat(EntryRoutes.problem("/demo/page-1")).isEmpty();
        assertThat(EntryRoutes.problem("demo")).isPresent();
        assertThat(EntryRoutes.problem("/a b")).isPresent();
        assertThat(EntryRoutes.problem("/a#b")).isPresent();
        assertThat(EntryRoutes.problem("/a/./b")).isPresent();
    }
}
