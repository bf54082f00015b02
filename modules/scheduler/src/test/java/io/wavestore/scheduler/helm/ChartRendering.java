package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a chart (the instance's, the store's) with real Helm (helm template) into fabric8 objects. */
final class ChartRendering {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartRendering() {
    }

    /** The YAML Helm renders for {@code values} as release {@code name} in namespace "apps". */
    static String template(Path chart, String name, Map<String, Object> values) throws IOException {
        return template(chart, name, "apps", values);
    }

    /** The YAML Helm renders for {@code values} as release {@code name} in {@code namespace}. */
    static String template(Path chart, String name, String namespace, Map<String, Object> values) throws IOException {
        Path file = Files.createTempFile("values-", ".json");
        try {
            JSON.writeValue(file.toFile(), values);
            return new Helm(chart).template().withName(name).withNamespace(namespace).withValuesFile(file).call();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** helm lint --strict finds nothing but advice ([INFO]). */
    static void assertLintsCleanInStrictMode(Path chart) {
        LintResult lint = new Helm(chart).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).allSatisfy(m -> assertThat(m).startsWith("[INFO]"));
    }

    static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                objects.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = ofKind(objects, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }
}
