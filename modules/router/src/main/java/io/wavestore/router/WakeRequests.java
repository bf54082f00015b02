package io.wavestore.router;

/**
 * Which requests for a suspended instance wake it (for a caller allowed to resume it). Only two do:
 * <ul>
 *   <li>a page navigation ({@link AppRequest#navigation()}: {@code Sec-Fetch-Mode: navigate} when the browser sends
 *       it, else a GET that accepts {@code text/html}): someone opened or reloaded the app;</li>
 *   <li>any other request that asks for it with the {@value #HEADER} header (an API client or a script that wants
 *       the instance up): it is held until the instance serves.</li>
 * </ul>
 * Nothing else does, above all not a WebSocket upgrade nor a page's own fetches: a Wave page left open in a tab
 * reconnects its socket every few seconds, and if that woke the instance, a suspend by hand would be undone at once
 * and an idle tab would keep its instance alive for ever. Those are answered 503 with Retry-After straight away; the
 * page keeps retrying and reconnects once a visit (or the owner) has woken the instance.
 */
final class WakeRequests {

    /** The header an API-style request sends to wake a suspended instance (any value). */
    static final String HEADER = "Wavestore-Wake";

    private WakeRequests() {
    }

    /** The request wakes a suspended instance its caller may resume. */
    static boolean wakes(AppRequest request) {
        return request.navigation() || asksExplicitly(request);
    }

    /** Not a page: a request that names the wake header; it is held while the instance resumes. */
    static boolean asksExplicitly(AppRequest request) {
        return !request.webSocket() && request.credentials().header(HEADER).isPresent();
    }
}
