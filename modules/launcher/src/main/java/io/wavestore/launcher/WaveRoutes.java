package io.wavestore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The routes the app registered with waved, learnt from waved's own log: for every app it adds, waved prints a line
 * such as {@code 2026/12/07 00:29:17 # {"host":"http://127.0.0.1:18766","route":"/demo","t":"app_add"}} (the route
 * is relative to its base URL), and {@code "t":"app_remove"} when one goes. The store sends browsers that open the
 * instance to the first of them ({@code io.wavestore.bundle.EntryRoutes}).
 */
final class WaveRoutes implements Consumer<String> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "# {";

    private final List<String> routes = new ArrayList<>();
    private final Consumer<List<String>> changed;

    /** @param changed told the routes, in the order they were added, each time they change */
    WaveRoutes(Consumer<List<String>> changed) {
        this.changed = changed;
    }

    /** One line of waved's output. */
    @Override
    public void accept(String line) {
        int mark = line.indexOf(MARK);
        if (mark < 0 || !line.contains("\"app_")) {
            return;
        }
        JsonNode event;
        try {
            event = JSON.readTree(line.substring(mark + 2));
        } catch (JsonProcessingException notAnEvent) {
            return;
        }
        String route = event.path("route").asText("");
        if (route.isEmpty()) {
            return;
        }
        List<String> now;
        synchronized (routes) {
            boolean change = switch (event.path("t").asText("")) {
                case "app_add" -> !routes.contains(route) && routes.add(route);
                case "app_remove" -> routes.remove(route);
                default -> false;
            };
            if (!change) {
                return;
            }
            now = List.copyOf(routes);
        }
        changed.accept(now);
    }

    List<String> current() {
        synchronized (routes) {
            return List.copyOf(routes);
        }
    }
}
