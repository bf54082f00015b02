package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.RequestCredentials;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which requests for a suspended instance wake it (issue 19): a page navigation, or a request that asks. */
class WakeRequestsTest {

    private static AppRequest request(String method, boolean webSocket, Map<String, String> headers) {
        return new AppRequest(RoutingMode.BASE_URL, "i-1", "/", method, Optional.empty(), webSocket, "apps.example",
                new RequestCredentials(headers, Map.of()), "http://apps.example");
    }

    @Test
    void aBrowserOpeningThePageWakesIt() {
        assertThat(WakeRequests.wakes(request("GET", false, Map.of("sec-fetch-mode", "navigate",
                "sec-fetch-dest", "document", "accept", "text/html,application/xhtml+xml")))).isTrue();
        assertThat(WakeRequests.wakes(request("GET", false, Map.of("accept", "text/html"))))
                .as("a browser that sends no Sec-Fetch headers").isTrue();
    }

    @Test
    void theOpenPagesSocketAndFetchesDoNotWakeIt() {
        assertThat(WakeRequests.wakes(request("GET", true, Map.of("sec-fetch-mode", "websocket",
                "upgrade", "websocket")))).as("Wave's socket reconnecting").isFalse();
        assertThat(WakeRequests.wakes(request("GET", true, Map.of("accept", "text/html"))))
                .as("an upgrade is never a page").isFalse();
        assertThat(WakeRequests.wakes(request("GET", false, Map.of("sec-fetch-mode", "cors", "accept", "*/*"))))
                .as("a page's fetch").isFalse();
        assertThat(WakeRequests.wakes(request("GET", false, Map.of("sec-fetch-mode", "no-cors",
                "accept", "text/html")))).as("an iframe's or image's load that accepts HTML").isFalse();
        assertThat(WakeRequests.wakes(request("POST", false, Map.of("accept", "text/html")))).isFalse();
    }

    @Test
    void anApiRequestWakesItOnlyWhenItAsks() {
        assertThat(WakeRequests.wakes(request("GET", false, Map.of("accept", "application/json")))).isFalse();
        assertThat(WakeRequests.wakes(request("POST", false, Map.of("accept", "application/json",
                "wavestore-wake", "1")))).isTrue();
        assertThat(WakeRequests.wakes(request("GET", true, Map.of("wavestore-wake", "1"))))
                .as("a socket never wakes, even when it asks").isFalse();
    }
}
