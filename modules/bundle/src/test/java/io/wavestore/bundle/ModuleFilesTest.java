package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime.Module is checked against the bundle's files at upload, as Python would find the module. */
class ModuleFilesTest {
    @TempDir
    Path tmp;

    private final BundleReader reader = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults());

    private Path bundle(String module, String... files) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("app.toml", Fixtures.text(ManifestParserTest.APP + "[Runtime]\nModule = \"" + module + "\"\n"));
        for (String file : files) {
            entries.put(file, file.endsWith("/") ? new byte[0] : Fixtures.text("X = 1\n"));
        }
        return Fixtures.write(tmp.resolve("b" + entries.hashCode() + ".wave"), Fixtures.zip(entries));
    }

    private BundleException refused(Path wave) {
        BundleException e = catchThrowableOfType(BundleException.class, () -> reader.open(wave, tmp.resolve("out")));
        assertThat(tmp.resolve("out")).as("nothing extracted").doesNotExist();
        BundleException checkOnly = catchThrowableOfType(BundleException.class, () -> reader.readManifest(wave));
        assertThat(checkOnly.violations()).isEqualTo(e.violations());
        return e;
    }

    @Test
    void aMissingModuleIsRefusedWithTheField() throws Exception {
        BundleException e = refused(bundle("app", "main.py", "requirements.txt"));
        assertThat(e.error()).isEqualTo(BundleError.INVALID_MANIFEST);
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("Runtime.Module");
            assertThat(v.message()).contains("'app'", "app.py", "app/__init__.py");
        });
    }

    @Test
    void aModuleIsAFileOrAPackageAtTheRoot() throws Exception {
        assertThat(reader.readManifest(bundle("app", "app.py")).runtime().module()).contains("app");
        assertThat(reader.readManifest(bundle("app", "app/", "app/__init__.py", "app/views.py")).runtime().module())
                .contains("app");
        // Only from the root, where the launcher runs it: src/app.py is not the module app.
        assertThat(refused(bundle("app", "src/app.py")).violations()).singleElement()
                .extracting(FieldViolation::field).isEqualTo("Runtime.Module");
    }

    @Test
    void aModuleInAPackage() throws Exception {
        assertThat(reader.open(bundle("hello.app", "hello/__init__.py", "hello/app.py", "hello/greeting.py"),
                tmp.resolve("o")).root().resolve("hello/app.py")).exists();
        assertThat(reader.readManifest(bundle("pkg.app", "pkg/__init__.py", "pkg/app/__init__.py")).runtime().module())
                .contains("pkg.app");
        assertThat(refused(bundle("hello.app", "hello/__init__.py", "hello/main.py", "app.py")).getMessage())
                .contains("hello/app.py", "hello/app/__init__.py");
    }

    @Test
    void parentsWithoutInitAreNamespacePackagesAsInPython() throws Exception {
        assertThat(reader.readManifest(bundle("a.b.app", "a/b/app.py")).runtime().module()).contains("a.b.app");
    }

    @Test
    void aFolderWithoutInitIsNotAModule() throws Exception {
        // Python would import it as an empty namespace package: there is no main to run.
        assertThat(refused(bundle("app", "app/", "app/views.py")).violations()).singleElement()
                .extracting(FieldViolation::field).isEqualTo("Runtime.Module");
    }

    @Test
    void namesAreCaseSensitiveAsOnLinux() throws Exception {
        refused(bundle("app", "App.py"));
    }
}
