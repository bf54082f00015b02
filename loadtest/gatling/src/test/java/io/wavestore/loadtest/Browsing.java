package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A person looking through the catalog: the newest apps, then a search, a tag or the next page, then a few apps
 * read in full with their icon and screenshots, reading between clicks. What the store's web UI asks for.
 */
final class Browsing {

    private Browsing() {
    }

    static ScenarioBuilder people(String name) {
        return scenario(name).exec(Identity.visitor("user-")).exec(visit());
    }

    /** One visit: a listing, a narrower listing, and one to three apps of it opened (each its own, at random). */
    static ChainBuilder visit() {
        return group("browse").on(
                exec(http("list latest apps").get("#{base}/api/v1/apps")
                        .queryParam("latest", "true").queryParam("limit", "20")
                        .check(status().is(200), jsonPath("$.items[*].url").findAll().saveAs("appUrls")))
                .exec(http("list tags").get("#{base}/api/v1/tags").check(status().is(200)))
                .pause(Settings.think(2), Settings.think(6))
                .randomSwitch().on(
                        percent(40).then(search()),
                        percent(35).then(byTag()),
                        percent(25).then(nextPage()))
                .repeat(session -> ThreadLocalRandom.current().nextInt(1, 4)).on(
                        pause(Settings.think(2), Settings.think(5)).exec(readApp())));
    }

    private static ChainBuilder search() {
        return exec(session -> session.set("word", pick(Catalog.SEARCH_WORDS)))
                .exec(http("search apps").get("#{base}/api/v1/apps")
                        .queryParam("q", "#{word}").queryParam("latest", "true")
                        .check(status().is(200), jsonPath("$.items[*].url").findAll().saveAs("appUrls")));
    }

    private static ChainBuilder byTag() {
        return exec(session -> session.set("tag", pick(Catalog.TAGS)))
                .exec(http("apps by tag").get("#{base}/api/v1/apps")
                        .queryParam("tag", "#{tag}").queryParam("latest", "true")
                        .check(status().is(200), jsonPath("$.items[*].url").findAll().saveAs("appUrls")));
    }

    private static ChainBuilder nextPage() {
        return exec(http("list next page").get("#{base}/api/v1/apps")
                .queryParam("latest", "true").queryParam("limit", "10").queryParam("offset", "10")
                .check(status().is(200), jsonPath("$.items[*].url").findAll().saveAs("appUrls")));
    }

    /**
     * An app's page: its metadata, its icon and its screenshots (the images a browser would load). Like a browser,
     * Gatling keeps what it fetched and revalidates it on the next visit, which the store answers with 304.
     */
    private static ChainBuilder readApp() {
        return exec(session -> session.set("appUrl", pick(session.getList("appUrls"))))
                .exec(http("read app").get("#{base}#{appUrl}")
                        .check(status().is(200),
                                jsonPath("$.iconUrl").optional().saveAs("iconUrl"),
                                jsonPath("$.screenshots[*].url").findAll().optional().saveAs("screenshots")))
                .doIf("#{iconUrl.exists()}").then(
                        exec(http("app icon").get("#{base}#{iconUrl}")
                                .check(status().in(200, 304))))
                .doIf("#{screenshots.exists()}").then(
                        foreach("#{screenshots}", "screenshot").on(
                                exec(http("app screenshot").get("#{base}#{screenshot}").check(status().in(200, 304)))))
                .exec(session -> session.removeAll("iconUrl", "screenshots"));
    }

    private static <T> T pick(List<T> choices) {
        return choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
    }
}
