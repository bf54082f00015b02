package io.wavestore.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One progress message to the store, posted as JSON:
 * <pre>{"instanceId": "...", "step": "INSTALLING_DEPENDENCIES", "state": "running", "message": "...",
 *  "outputTail": ["...", ...], "sequence": 3, "time": "2026-01-01T00:00:00Z", "routes": ["/demo"]}</pre>
 * {@code sequence} counts from 1 per launcher run, so the store can drop a report that arrives after a newer one.
 * {@code routes} are the Wave routes the app registered with waved so far, in order (relative to the base URL).
 * Public so the store can read what its launchers send ({@link #fromJson}).
 */
public record ProgressReport(String instanceId, Step step, State state, String message, List<String> outputTail,
                      long sequence, Instant time, List<String> routes) {

    /** Where the step stands. {@code done} is only ever sent with {@link Step#READY}. */
    public enum State {
        RUNNING, DONE, FAILED;

        /** As it appears in the JSON: {@code running}, {@code done}, {@code failed}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public ProgressReport {
        outputTail = List.copyOf(outputTail);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** A report before the app registered any route. */
    public ProgressReport(String instanceId, Step step, State state, String message, List<String> outputTail,
                          long sequence, Instant time) {
        this(instanceId, step, state, message, outputTail, sequence, time, List.of());
    }

    /**
     * Reads a report as the launcher posts it; unknown fields are ignored, so newer launchers may add some.
     *
     * @throws IllegalArgumentException the JSON is not a report (the message says what is missing or wrong)
     */
    public static ProgressReport fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a progress report is a JSON object");
        }
        List<String> tail = new ArrayList<>();
        JsonNode tailNode = node.path("outputTail");
        if (!tailNode.isMissingNode() && !tailNode.isArray()) {
            throw new IllegalArgumentException("outputTail must be an array of strings");
        }
        tailNode.forEach(line -> tail.add(line.asText()));
        List<String> routes = new ArrayList<>();
        JsonNode routesNode = node.path("routes");
        if (!routesNode.isMissingNode() && !routesNode.isArray()) {
            throw new IllegalArgumentException("routes must be an array of strings");
        }
        routesNode.forEach(route -> routes.add(route.asText()));
        try {
            return new ProgressReport(text(node, "instanceId"), Step.valueOf(text(node, "step")),
                    State.valueOf(text(node, "state").toUpperCase(Locale.ROOT)), node.path("message").asText(""),
                    tail, node.path("sequence").asLong(0), Instant.parse(text(node, "time")), routes);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time must be an ISO-8601 instant");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return value.textValue();
    }

    /** The JSON the launcher posts. */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("instanceId", instanceId);
        node.put("step", step.name());
        node.put("state", state.json());
        node.put("message", message);
        ArrayNode tail = node.putArray("outputTail");
        outputTail.forEach(tail::add);
        node.put("sequence", sequence);
        node.put("time", time.toString());
        ArrayNode routeList = node.putArray("routes");
        routes.forEach(routeList::add);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }
}
