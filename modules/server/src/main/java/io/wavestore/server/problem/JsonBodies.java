package io.wavestore.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Reads a JSON request body into a record, refusing with a problem what Jackson alone would let through or fail on
 * badly: {@code null}, an array, a number or a string where an object belongs (400 {@code invalid-body}), text that
 * is not JSON (400 {@code malformed-json}), a field of the wrong type or out of range (422 {@code invalid-field},
 * naming it), and a NUL character anywhere (422: PostgreSQL cannot store it). Jackson's own limits bound nesting,
 * number and string sizes; pekko's {@code max-content-length} bounds the body.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** Only {@code application/json} is read; another content type is a 415 rejection. */
    public static <T> Unmarshaller<HttpEntity, T> reader(ObjectMapper mapper, Class<T> type) {
        return Unmarshaller.forMediaType(MediaTypes.APPLICATION_JSON, Unmarshaller.entityToString())
                .thenApply(text -> read(mapper, text, type));
    }

    static <T> T read(ObjectMapper mapper, String text, Class<T> type) {
        JsonNode tree;
        try {
            tree = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException e) {
            throw refused(Problem.of("malformed-json", "Malformed JSON", 400,
                    "the body is not valid JSON: " + e.getOriginalMessage(), null));
        }
        if (tree == null || !tree.isObject()) {
            throw refused(Problem.of("invalid-body", "Invalid body", 400, "the body must be a JSON object, not "
                    + (tree == null ? "empty" : tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT)), null));
        }
        rejectNul(tree, "");
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
            throw refused(Problem.of("invalid-field", "Invalid field", 422,
                    (field.isEmpty() ? "" : field + ": ") + e.getOriginalMessage(), field.isEmpty() ? null : field));
        }
    }

    private static void rejectNul(JsonNode node, String path) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            throw refused(Problem.of("invalid-field", "Invalid field", 422,
                    (path.isEmpty() ? "a value" : path) + " contains a NUL character", path.isEmpty() ? null : path));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNul(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().indexOf('\u0000') >= 0) {
                    throw refused(Problem.of("invalid-field", "Invalid field", 422, "a field name contains a NUL character",
                            null));
                }
                rejectNul(field.getValue(), name);
            }
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static RuntimeException refused(Problem problem) {
        return ProblemRejection.error(problem);
    }
}
