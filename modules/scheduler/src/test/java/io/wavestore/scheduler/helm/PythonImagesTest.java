package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.scheduler.local.LocalSpecs;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On Kubernetes, RuntimeVersion chooses the instance image of its Python from the store's table. */
class PythonImagesTest {
    private static final PythonImages IMAGES = PythonImages.parse(
            "3.10=registry.example.com/wave-instance:1.0-py3.10, 3.12=registry.example.com:5000/wave-instance");

    @Test
    void theImageOfTheRequestedPythonIsTheReleasesImage() {
        ChartSettings chart = IMAGES.chartFor(LocalSpecs.withRuntimeVersion("a-1", "deb11_py310_wlatest"),
                ChartSettings.defaults());
        assertThat(InstanceValues.of(LocalSpecs.withRuntimeVersion("a-1", "deb11_py310_wlatest"), chart).get("image"))
                .isEqualTo(Map.of("repository", "registry.example.com/wave-instance", "tag", "1.0-py3.10",
                        "pullPolicy", "IfNotPresent"));
        assertThat(IMAGES.chartFor(LocalSpecs.withRuntimeVersion("a-2", "py3.12"), ChartSettings.defaults())
                .imageRepository()).isEqualTo("registry.example.com:5000/wave-instance");
    }

    @Test
    void aPythonWithoutAnImageIsRefusedNamingTheOnesThereAre() {
        InstanceSpec spec = LocalSpecs.withRuntimeVersion("b-1", "deb10_py38_wlatest");
        assertThatThrownBy(() -> IMAGES.chartFor(spec, ChartSettings.defaults())).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("asks for Python 3.8").hasMessageContaining("only for Python 3.10, 3.12");
    }

    @Test
    void withoutATableOrAPythonInTheRuntimeVersionTheGenericImageIsUsed() {
        ChartSettings defaults = ChartSettings.defaults();
        assertThat(PythonImages.none().chartFor(LocalSpecs.withRuntimeVersion("c-1", "deb11_py310_wlatest"), defaults))
                .isSameAs(defaults);
        assertThat(IMAGES.chartFor(LocalSpecs.withRuntimeVersion("c-2", "custom"), defaults)).isSameAs(defaults);
    }

    @Test
    void aMalformedTableIsRefused() {
        assertThatThrownBy(() -> PythonImages.parse("python3.10=img")).hasMessageContaining("3.11=repository:tag");
    }
}
