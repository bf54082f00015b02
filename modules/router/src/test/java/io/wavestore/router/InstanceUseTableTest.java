package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceUseTableTest {

    private static final long GRACE = 30 * 60_000L;

    private final InstanceUseTable table = new InstanceUseTable();

    @Test
    void aRequestIsReportedOnceAndNothingAfterIt() {
        long before = System.currentTimeMillis();
        table.requested("i-a");
        Map<String, Long> first = table.usedSinceLastReport(System.currentTimeMillis(), GRACE);
        assertThat(first).containsOnlyKeys("i-a");
        assertThat(first.get("i-a")).isGreaterThanOrEqualTo(before);
        assertThat(table.usedSinceLastReport(System.currentTimeMillis() + 1000, GRACE)).as("no news").isEmpty();
    }

    @Test
    void anOpenSilentWebSocketCountsUntilItsGraceAndNoLonger() {
        InstanceUse use = table.of("i-tab");
        use.socketOpened();
        long opened = System.currentTimeMillis();
        long later = opened + GRACE / 2;
        assertThat(table.usedSinceLastReport(later, GRACE).get("i-tab")).as("open: in use now").isEqualTo(later);

        // A tab left in the background: after the grace it counts as used at the grace's end, and never after.
        long muchLater = opened + 10 * GRACE;
        long reported = table.usedSinceLastReport(muchLater, GRACE).get("i-tab");
        assertThat(reported).isBetween(opened + GRACE, System.currentTimeMillis() + GRACE);
        assertThat(table.usedSinceLastReport(muchLater + GRACE, GRACE)).isEmpty();

        // What the browser sends starts the grace again.
        use.socketRead();
        assertThat(table.usedSinceLastReport(muchLater + GRACE, GRACE)).containsKey("i-tab");
    }

    @Test
    void aClosedWebSocketCountsOnlyUntilItsLastRead() {
        InstanceUse use = table.of("i-closed");
        use.socketOpened();
        use.socketRead();
        use.socketClosed();
        long now = System.currentTimeMillis() + GRACE;
        assertThat(table.usedSinceLastReport(now, GRACE).get("i-closed")).isLessThanOrEqualTo(System.currentTimeMillis());
    }
}
