package io.wavestore.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Running time from events: clipped to the period and to now, split by version, nothing for stopped time. */
class UsageTest {

    static final Instant SINCE = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void anInstanceStillRunningCountsUpToNowNotToTheEndOfThePeriod() {
        List<ActivityRow> events = List.of(row("i-1", "2026-12-01T10:00:00Z", true, "1.0"));
        List<Usage.Line> lines = Usage.of(events, Usage.By.USER, SINCE, UNTIL, Instant.parse("2026-12-01T12:30:00Z"));
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.seconds()).isEqualTo(9000);
            assertThat(l.instances()).isEqualTo(1);
        });
    }

    @Test
    void timeBeforeThePeriodAndWhileSuspendedCountsNothing() {
        List<ActivityRow> events = List.of(
                row("i-1", "2026-11-30T20:00:00Z", true, "1.0"),
                row("i-1", "2026-12-01T01:00:00Z", false, "1.0"),
                row("i-1", "2026-12-01T05:00:00Z", true, "1.0"),
                row("i-1", "2026-12-01T06:00:00Z", true, "2.0"),
                row("i-1", "2026-12-01T07:00:00Z", false, "2.0"));
        List<Usage.Line> byApp = Usage.of(events, Usage.By.APP, SINCE, UNTIL, UNTIL.plusSeconds(1));
        assertThat(byApp).extracting(Usage.Line::version, Usage.Line::seconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.0", 7200L),
                        org.assertj.core.groups.Tuple.tuple("2.0", 3600L));
    }

    @Test
    void noEventsNoUsage() {
        assertThat(Usage.of(List.of(), Usage.By.USER, SINCE, UNTIL, UNTIL)).isEmpty();
    }

    private static ActivityRow row(String instance, String at, boolean running, String version) {
        return new ActivityRow(0, "f", Instant.parse(at), "X", "USER", "olga", "INSTANCE", instance, instance, "app",
                version, "olga", running, Map.of());
    }
}
