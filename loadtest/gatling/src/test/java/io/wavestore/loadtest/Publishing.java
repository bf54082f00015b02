package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A person publishing their app during the day: upload a new version (a real {@code .wave}, built from the example
 * app under the publisher's own app name), check it in the catalog, retag it, and later upload the next one.
 */
final class Publishing {

    /** This run's versions are {@code 2.<run>.<n>}: new on every run, so uploads never collide with earlier ones. */
    private static final long RUN = System.currentTimeMillis() / 1000;
    /** What the day uploaded (API paths), deleted by the simulation's teardown so that runs do not pile up. */
    static final Queue<String> UPLOADED = new ConcurrentLinkedQueue<>();

    private Publishing() {
    }

    static ScenarioBuilder people(String name, WaveBundles bundles) {
        return scenario(name)
                .exec(Identity.owner("publisher-"))
                .exec(session -> session.set("app", Catalog.publishedApp((int) session.userId())))
                .repeat(Settings.UPLOADS_PER_PUBLISHER, "upload").on(
                        pause(Settings.think(20), Settings.think(60))
                        .exec(publish(bundles)));
    }

    private static ChainBuilder publish(WaveBundles bundles) {
        return group("publish").on(
                exec(session -> session.set("version", "2." + RUN + "." + session.getInt("upload")))
                .exec(http("upload app version").post("#{base}/api/v1/apps")
                        .queryParam("visibility", "ALL_USERS")
                        .header("Content-Type", "application/zip")
                        .body(ByteArrayBody(session -> bundles.as(session.getString("app"),
                                session.getString("version"), "Published by " + session.getString("user"),
                                "An app its owner keeps publishing (load test).", List.of("demo"))))
                        .check(status().is(201), header("Location").saveAs("uploaded")))
                .exec(session -> {
                    UPLOADED.add(session.getString("uploaded"));
                    return session;
                })
                .pause(Settings.think(2), Settings.think(5))
                .exec(http("read own app").get("#{base}#{uploaded}")
                        .check(status().is(200), jsonPath("$.version").isEL("#{version}")))
                .exec(http("list own versions").get("#{base}/api/v1/apps").queryParam("name", "#{app}")
                        .check(status().is(200), jsonPath("$.items[0].version").isEL("#{version}")))
                .pause(Settings.think(3), Settings.think(8))
                .exec(http("retag app version").patch("#{base}#{uploaded}")
                        .body(StringBody("{\"tags\":[\"demo\",\"analytics\"]}")).asJson()
                        .check(status().is(200), jsonPath("$.tags[*]").count().is(2))));
    }
}
