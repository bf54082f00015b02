package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * A person working with an app: start an instance of the example app, follow its start until RUNNING, use it through
 * the router (the page, its assets, and the Wave socket: open the page, press Greet a few times and read the answers),
 * glance at its log, suspend it for a break, resume it, use it again, and terminate it. Each virtual user owns one
 * instance at a time, so the number of these users is the number of live instances (each a venv and a waved).
 */
final class InstanceUse {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final int GREETINGS = 3;
    /** Polls in a row that see FAILED before a wait gives up (a stopped launcher may show FAILED for a moment). */
    private static final int FAILED_POLLS = 6;

    private InstanceUse() {
    }

    static ScenarioBuilder people(String name) {
        return scenario(name)
                .exec(Identity.owner("worker-"))
                .exitBlockOnFail().on(
                        exec(start())
                        .exec(useApp())
                        .exec(http("read instance log").get("#{base}/api/v1/instances/#{id}/logs")
                                .queryParam("tail", "50").check(status().is(200)))
                        .pause(Settings.think(5), Settings.think(15))
                        .exec(suspend())
                        .pause(Settings.think(10), Settings.think(20))
                        .exec(resume())
                        .exec(useApp()))
                // A user who hit a failure looks at the log: printed, so that the run says what went wrong.
                .doIf(session -> session.isFailed() && session.contains("id")).then(
                        exec(http("read instance log after a failure").get("#{base}/api/v1/instances/#{id}/logs")
                                .queryParam("tail", "40").check(status().is(200), bodyString().saveAs("log")))
                        .exec(session -> {
                            System.out.println("[wavestore] " + session.getString("user") + " failed on instance "
                                    + session.getString("id") + " via " + session.getString("base") + " at "
                                    + Instant.now() + "; its log:\n" + session.getString("log"));
                            return session.remove("log");
                        }))
                // Whatever happened above, an instance this user started is terminated.
                .doIf("#{id.exists()}").then(terminate());
    }

    /**
     * A change made from the store's own page, as a browser names it: after the app's page and its WebSocket (on the
     * apps' origin) Gatling sent that origin with the next POST, which the store refuses as cross-origin (403).
     */
    private static HttpRequestActionBuilder fromStorePage(HttpRequestActionBuilder request) {
        return request.header("Origin", "#{base}");
    }

    private static ChainBuilder start() {
        return waitFor("start until RUNNING", "RUNNING",
                fromStorePage(http("start instance").post("#{base}/api/v1/instances"))
                        .body(StringBody("{\"app\":\"" + Settings.INSTANCE_APP + "\",\"version\":\""
                                + Settings.INSTANCE_VERSION + "\"}")).asJson()
                        .check(status().is(201), jsonPath("$.id").saveAs("id")));
    }

    private static ChainBuilder suspend() {
        return waitFor("suspend until STOPPED", "STOPPED",
                fromStorePage(http("suspend instance").post("#{base}/api/v1/instances/#{id}/suspend"))
                        .check(status().is(200), jsonPath("$.suspended").ofBoolean().is(true)));
    }

    private static ChainBuilder resume() {
        return waitFor("resume until RUNNING", "RUNNING",
                fromStorePage(http("resume instance").post("#{base}/api/v1/instances/#{id}/resume"))
                        .check(status().is(200), jsonPath("$.suspended").ofBoolean().is(false)));
    }

    /** Terminates the instance and waits until the store no longer knows it (its API answers 404). */
    private static ChainBuilder terminate() {
        return exec(session -> session.set("waitStart", System.currentTimeMillis()).set("status", 200))
                .exec(fromStorePage(http("terminate instance").delete("#{base}/api/v1/instances/#{id}"))
                        .check(status().is(204)))
                .asLongAs(session -> session.getInt("status") != 404 && !timedOut(session)).on(
                        pause(POLL).exec(http("poll instance").get("#{base}/api/v1/instances/#{id}")
                                .check(status().in(200, 404).saveAs("status"))))
                .exec(session -> {
                    if (session.getInt("status") == 404) {
                        PhaseTimes.record("terminate until gone", elapsed(session));
                    }
                    return session;
                })
                // The listing follows the runtime's directory, which may still show the instance for a moment: a
                // user sees that too, so it is counted, not failed.
                .exec(http("list own instances").get("#{base}/api/v1/instances")
                        .check(status().is(200), jsonPath("$[?(@.id == '#{id}')].id").optional().saveAs("stillListed")))
                .exec(session -> {
                    if (session.contains("stillListed")) {
                        PhaseTimes.count("terminated instance still listed after its API answered 404");
                    }
                    return session.remove("id").remove("stillListed");
                });
    }

    /**
     * Sends the request, then polls the instance (as the UI follows its progress) until it is in {@code phase} (and
     * ready, for RUNNING), stays FAILED for {@link #FAILED_POLLS} polls in a row, or {@link Settings#PHASE_TIMEOUT}
     * passes; records the wait in {@link PhaseTimes}. A FAILED seen on the way is counted and its instance printed,
     * since a user sees it too. A last read checks the phase, so that a failed or stuck instance is a failed request.
     */
    private static ChainBuilder waitFor(String wait, String phase, HttpRequestActionBuilder request) {
        boolean needsReady = phase.equals("RUNNING");
        return exec(session -> session.set("waitStart", System.currentTimeMillis()).set("phase", "").set("ready", false)
                        .set("failedPolls", 0))
                .exec(request)
                .asLongAs(session -> !reached(session, phase, needsReady) && session.getInt("failedPolls") < FAILED_POLLS
                        && !timedOut(session))
                .on(pause(POLL).exec(http("poll instance").get("#{base}/api/v1/instances/#{id}")
                                .check(status().is(200), jsonPath("$.phase").saveAs("phase"),
                                        jsonPath("$.ready").ofBoolean().saveAs("ready"), bodyString().saveAs("instance")))
                        .exec(session -> noteFailed(session, wait)))
                .exec(session -> {
                    if (reached(session, phase, needsReady)) {
                        PhaseTimes.record(wait, elapsed(session));
                    }
                    return session.remove("instance");
                })
                .exec(http("instance is " + phase).get("#{base}/api/v1/instances/#{id}")
                        .check(status().is(200), jsonPath("$.phase").is(phase)));
    }

    private static Session noteFailed(Session session, String wait) {
        if (!"FAILED".equals(session.getString("phase"))) {
            return session.set("failedPolls", 0);
        }
        if (session.getInt("failedPolls") == 0) {
            PhaseTimes.count("FAILED seen during " + wait);
            System.out.println("[wavestore] FAILED seen during " + wait + ": " + session.getString("instance"));
        }
        return session.set("failedPolls", session.getInt("failedPolls") + 1);
    }

    private static boolean reached(Session session, String phase, boolean needsReady) {
        return phase.equals(session.getString("phase")) && (!needsReady || session.getBoolean("ready"));
    }

    private static boolean timedOut(Session session) {
        return elapsed(session) >= Settings.PHASE_TIMEOUT.toMillis();
    }

    private static long elapsed(Session session) {
        return System.currentTimeMillis() - session.getLong("waitStart");
    }

    /** The app in a browser, through the router: page, assets, then the Wave socket as Wave's own client speaks it. */
    private static ChainBuilder useApp() {
        return group("use app").on(
                exec(http("open app page").get("#{appsBase}/instance/#{id}/")
                        .check(status().is(200), substring("data-base-url=\"/instance/#{id}/\""),
                                regex("(?:src|href)=\"(/instance/[^\"]+/wave-static/[^\"]+)\"").findAll().saveAs("assets")))
                .foreach("#{assets}", "asset").on(
                        exec(http("app asset").get("#{appsBase}#{asset}").check(status().in(200, 304))))
                .exec(ws("open Wave socket").connect("#{wsBase}/instance/#{id}/_s/")
                        .header("Origin", "#{appsBase}").header("X-Dev-User", "#{user}").header("X-Dev-Role", "#{role}"))
                // Wave's browser client opens its page with "+ <path> <hash>" and sends events as "@ <path> <json>".
                .exec(ws("render page").sendText("+ /instance/#{id}/ ")
                        .await(30).on(ws.checkTextMessage("Wave page received").matching(substring("Hello Wave"))
                                .check(substring("\"greet\""))))
                .repeat(GREETINGS, "greeting").on(
                        pause(Settings.think(3), Settings.think(8))
                        .exec(ws("press Greet")
                                .sendText("@ /instance/#{id}/ {\"greet\":true,\"who\":\"#{user} #{greeting}\"}")
                                .await(30).on(ws.checkTextMessage("Greet answered")
                                        .matching(substring("Hello, #{user} #{greeting}!")))))
                .exec(ws("close Wave socket").close()));
    }
}
