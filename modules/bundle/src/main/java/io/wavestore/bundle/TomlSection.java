package io.wavestore.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Typed, violation-collecting access to one TOML table of app.toml. A key of the wrong type is reported and
 * then treated as absent, so that one mistake yields one violation and validation goes on to report all the
 * others in the same pass.
 */
final class TomlSection {
    /** Keys of older H2O app.toml formats, refused with a hint rather than a bare "unknown key". */
    private static final Map<String, String> RETIRED_KEYS = Map.of(
            "Category", "Category is not supported; use Tags",
            "Keywords", "Keywords is not supported; use Tags");

    private final String name;
    private final ObjectNode node;
    private final List<FieldViolation> violations;

    TomlSection(String name, ObjectNode node, List<FieldViolation> violations) {
        this.name = name;
        this.node = node;
        this.violations = violations;
    }

    String field(String key) {
        return name + "." + key;
    }

    void violate(String key, String message) {
        violations.add(new FieldViolation(field(key), message));
    }

    /** A violation of the table as a whole, e.g. {@code Env[1]: has both Value and Secret}. */
    void violateSection(String message) {
        violations.add(new FieldViolation(name, message));
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** Reports every key not in {@code known}, suggesting the right spelling when only the case differs. */
    void rejectUnknownKeys(Set<String> known) {
        node.fieldNames().forEachRemaining(key -> {
            if (known.contains(key)) {
                return;
            }
            String hint = known.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst()
                    .map(k -> "unknown key; did you mean " + k + "? (keys are case-sensitive)")
                    .orElse(RETIRED_KEYS.getOrDefault(key, "unknown key"));
            violate(key, hint);
        });
    }

    Optional<String> string(String key) {
        return typed(key, JsonNode::isTextual, v -> "must be a string, not " + describe(v), JsonNode::textValue);
    }

    /** Like {@link #string} but an empty string counts as absent, as in H2O's own {@code GPUType = ""}. */
    Optional<String> optionalString(String key) {
        return string(key).filter(s -> !s.isEmpty());
    }

    Optional<String> requiredString(String key) {
        if (!node.has(key)) {
            violate(key, "is required");
            return Optional.empty();
        }
        Optional<String> s = string(key);
        if (s.isPresent() && s.get().isBlank()) {
            violate(key, "must not be empty");
            return Optional.empty();
        }
        return s;
    }

    Optional<Boolean> bool(String key) {
        return typed(key, JsonNode::isBoolean, v -> "must be true or false, not " + describe(v),
                JsonNode::booleanValue);
    }

    Optional<Long> integer(String key) {
        return typed(key, v -> v.isIntegralNumber() && v.canConvertToLong(),
                v -> v.isIntegralNumber() ? "is out of range" : "must be an integer, not " + describe(v),
                JsonNode::longValue);
    }

    // The value at key as read() reads it when fits() accepts it; absent when there is none, and a violation that
    // says what it must be (mustBe) when it does not fit.
    private <T> Optional<T> typed(String key, Predicate<JsonNode> fits, Function<JsonNode, String> mustBe,
            Function<JsonNode, T> read) {
        JsonNode v = node.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!fits.test(v)) {
            violate(key, mustBe.apply(v));
            return Optional.empty();
        }
        return Optional.of(read.apply(v));
    }

    /**
     * A resource quantity: a string such as {@code "512Mi"}, or a bare TOML number such as {@code 2} or
     * {@code 0.5}, which people write for CPUs; numbers are kept in their plain decimal form.
     */
    Optional<Quantity> quantity(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isTextual() && v.textValue().isEmpty()) {
            return Optional.empty();
        }
        String text;
        if (v.isTextual()) {
            text = v.textValue();
        } else if (v.isNumber()) {
            text = v.decimalValue().stripTrailingZeros().toPlainString();
        } else {
            violate(key, "must be a quantity such as \"512Mi\" or \"0.5\", not " + describe(v));
            return Optional.empty();
        }
        try {
            return Optional.of(Quantity.parse(text));
        } catch (IllegalArgumentException e) {
            violate(key, e.getMessage());
            return Optional.empty();
        }
    }

    List<String> stringList(String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            violate(key, "must be an array of strings, not " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (item.isTextual()) {
                out.add(item.textValue());
            } else {
                violations.add(new FieldViolation(field(key) + "[" + i + "]",
                        "must be a string, not " + describe(item)));
            }
        }
        return out;
    }

    /** "a string", "an integer", ... for messages about wrong types. */
    static String describe(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> v.isIntegralNumber() ? "an integer" : "a float";
            case ARRAY -> "an array";
            case OBJECT -> "a table";
            case POJO -> "a date/time"; // TOML dates and times
            default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
