package io.wavestore.loadtest;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalog a working day starts with: a few tags and {@link Settings#CATALOG_APPS} apps built from the example
 * app, with titles made of words that browsers search for. Names are stable, so a second run finds them in place.
 */
final class Catalog {

    static final List<String> TAGS = List.of("analytics", "finance", "ml", "ops", "demo");
    /** Words in the apps' titles, so that every search finds something. */
    static final List<String> SEARCH_WORDS = List.of("forecast", "churn", "dashboard", "explorer", "monitor", "report");
    private static final List<String> SUBJECTS = List.of("Sales", "Churn", "Fraud", "Inventory", "Energy", "Claims");

    /** One app of the starting catalog. */
    record SeedApp(String name, String version, String title, String description, List<String> tags) {
    }

    private Catalog() {
    }

    static List<SeedApp> seedApps() {
        List<SeedApp> apps = new ArrayList<>();
        for (int i = 0; i < Settings.CATALOG_APPS; i++) {
            String subject = SUBJECTS.get(i % SUBJECTS.size());
            String word = SEARCH_WORDS.get((i / SUBJECTS.size() + i) % SEARCH_WORDS.size());
            String title = subject + " " + Character.toUpperCase(word.charAt(0)) + word.substring(1) + " " + (i + 1);
            List<String> tags = i % 3 == 0
                    ? List.of(TAGS.get(i % TAGS.size()))
                    : List.of(TAGS.get(i % TAGS.size()), TAGS.get((i + 2) % TAGS.size()));
            apps.add(new SeedApp(String.format("io.wavestore.loadtest.app-%02d", i + 1), "1.0.0", title,
                    "A " + word + " for " + subject.toLowerCase() + " teams (load-test catalog entry).", tags));
        }
        return apps;
    }

    /** The app a publisher owns: one name per publisher, a new version per upload. */
    static String publishedApp(int publisher) {
        return "io.wavestore.loadtest.published-" + publisher;
    }
}
