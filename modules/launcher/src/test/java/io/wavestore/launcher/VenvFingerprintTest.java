package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class VenvFingerprintTest {
    private static final String PY = "3.11.7 (main) [GCC 12.2.0] /usr/local/bin/python3.11";
    private static final String BUNDLE_A = "a".repeat(64);
    private static final String BUNDLE_B = "b".repeat(64);

    @Test
    void theSameRequirementsAndPythonReuseTheVenvAcrossBundles() {
        VenvFingerprint built = VenvFingerprint.of(PY, Optional.of("h2o-wave>=1.0,<2\n"), BUNDLE_A);
        VenvFingerprint next = VenvFingerprint.of(PY, Optional.of("h2o-wave>=1.0,<2\n"), BUNDLE_B);
        VenvFingerprint.Decision d = next.decide(Optional.of(built.toMarker()), true);
        assertThat(d.reuse()).isTrue();
        assertThat(d.reason()).contains("unchanged");
    }

    @Test
    void changedRequirementsOrPythonRebuildIt() {
        VenvFingerprint built = VenvFingerprint.of(PY, Optional.of("h2o-wave\n"), BUNDLE_A);
        VenvFingerprint.Decision req = VenvFingerprint.of(PY, Optional.of("h2o-wave\npandas\n"), BUNDLE_A)
                .decide(Optional.of(built.toMarker()), true);
        assertThat(req.reuse()).isFalse();
        assertThat(req.reason()).contains("requirements.txt").doesNotContain("Python");

        VenvFingerprint.Decision py = VenvFingerprint.of("3.12.1 /usr/bin/python3.12", Optional.of("h2o-wave\n"),
                BUNDLE_A).decide(Optional.of(built.toMarker()), true);
        assertThat(py.reuse()).isFalse();
        assertThat(py.reason()).contains("Python");
    }

    @Test
    void noMarkerOrAnIncompleteVenvRebuildIt() {
        VenvFingerprint f = VenvFingerprint.of(PY, Optional.empty(), BUNDLE_A);
        assertThat(f.decide(Optional.empty(), true).reuse()).isFalse();
        assertThat(f.decide(Optional.of(f.toMarker()), false).reuse()).isFalse();
        assertThat(f.decide(Optional.of(f.toMarker()), false).reason()).contains("incomplete");
        assertThat(f.decide(Optional.of("format=0\n" + f.toMarker().substring(9)), true).reuse())
                .as("a venv built by an older launcher").isFalse();
    }

    @Test
    void requirementsUsingTheBundlesFilesTieTheVenvToTheBundle() {
        String local = "h2o-wave\n./wheels/mylib-1.0-py3-none-any.whl\n";
        VenvFingerprint built = VenvFingerprint.of(PY, Optional.of(local), BUNDLE_A);
        assertThat(VenvFingerprint.of(PY, Optional.of(local), BUNDLE_A).decide(Optional.of(built.toMarker()), true)
                .reuse()).as("a restart of the same bundle").isTrue();
        VenvFingerprint.Decision other = VenvFingerprint.of(PY, Optional.of(local), BUNDLE_B)
                .decide(Optional.of(built.toMarker()), true);
        assertThat(other.reuse()).isFalse();
        assertThat(other.reason()).contains("bundle");
    }

    @Test
    void localFileReferencesAreRecognised() {
        for (String line : new String[] {"./wheels/x-1.0-py3-none-any.whl", "wheels/x-1.0-py3-none-any.whl",
                "-e .", "--editable=./lib", "-r more.txt", "--requirement=more.txt", "-rmore.txt", "-c constraints.txt",
                "-f ./wheels", "--find-links wheels", "/abs/pkg.tar.gz", "file:///x/y.whl", "mylib @ file:///x/y.whl",
                "lib.zip"}) {
            assertThat(VenvFingerprint.refersToLocalFiles("h2o-wave\n" + line + "\n")).as(line).isTrue();
        }
        for (String line : new String[] {"h2o-wave>=1.0", "pandas==2.2.0 # a comment ./x.whl", "# ./commented.whl",
                "--index-url https://pypi.example/simple", "-f https://example.com/wheels/",
                "pkg @ https://example.com/pkg-1.0.whl", "--extra-index-url=https://x/simple", "-r https://x/r.txt"}) {
            assertThat(VenvFingerprint.refersToLocalFiles(line + "\n")).as(line).isFalse();
        }
    }
}
