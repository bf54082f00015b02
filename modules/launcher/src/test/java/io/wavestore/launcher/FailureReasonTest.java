package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void anAppThatFailsToImportIsNamedByItsException() {
        List<String> tail = List.of("INFO:     Will watch for changes", "Traceback (most recent call last):",
                "  File \"/srv/app/app.py\", line 1, in <module>", "    import pandas",
                "ModuleNotFoundError: No module named 'pandas'");
        assertThat(FailureReason.pythonException(tail)).contains("ModuleNotFoundError: No module named 'pandas'");
    }

    @Test
    void aChainedTracebackIsNamedByTheLastException() {
        List<String> tail = List.of("Traceback (most recent call last):", "  File \"a.py\", line 2, in <module>",
                "KeyError: 'x'", "", "During handling of the above exception, another exception occurred:", "",
                "Traceback (most recent call last):", "  File \"a.py\", line 4, in <module>",
                "    raise RuntimeError('wavestore: no x')", "RuntimeError: wavestore: no x");
        assertThat(FailureReason.pythonException(tail)).contains("RuntimeError: wavestore: no x");
    }

    @Test
    void aTracebackLongerThanTheTailIsStillNamed() {
        List<String> tail = List.of("           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  File \"<frozen importlib._bootstrap>\", line 241, in _call_with_frames_removed",
                "  File \"/srv/app/app.py\", line 5, in boom", "    raise RuntimeError('it fails at import')",
                "RuntimeError: it fails at import");
        assertThat(FailureReason.pythonException(tail)).contains("RuntimeError: it fails at import");
    }

    @Test
    void outputWithoutATracebackNamesNoException() {
        assertThat(FailureReason.pythonException(List.of("Killed", "Error: something"))).isEmpty();
    }

    @Test
    void pipsFirstErrorAndThePackageItCouldNotFind() {
        List<String> tail = List.of("Looking in links: /opt/wheels",
                "ERROR: Could not find a version that satisfies the requirement nope==1.0 (from versions: none)",
                "ERROR: No matching distribution found for nope==1.0");
        assertThat(FailureReason.installError(tail)).contains("package nope: ERROR: Could not find a version that"
                + " satisfies the requirement nope==1.0 (from versions: none)");
    }

    @Test
    void pipsFailedBuildNamesThePackage() {
        List<String> tail = List.of("  error: subprocess-exited-with-error", "  ",
                "  × Building wheel for broken (pyproject.toml) did not run successfully.", "  │ exit code: 1",
                "  ERROR: Failed building wheel for broken", "Failed to build broken",
                "ERROR: Could not build wheels for broken, which is required to install pyproject.toml-based projects");
        assertThat(FailureReason.installError(tail)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("package broken: ").contains("ERROR: Failed building wheel for broken"));
    }

    @Test
    void uvsErrorAndCauseNameThePackage() {
        List<String> tail = List.of("Using Python 3.11.2 environment at: /venv",
                "error: No solution found when resolving dependencies",
                "  cause: Because there is no version of h2o-wave==0.0.0.1 and you require h2o-wave==0.0.0.1, we can"
                        + " conclude that your requirements are unsatisfiable.");
        assertThat(FailureReason.installError(tail)).contains("package h2o-wave: error: No solution found when"
                + " resolving dependencies; cause: Because there is no version of h2o-wave==0.0.0.1 and you require"
                + " h2o-wave==0.0.0.1, we can conclude that your requirements are unsatisfiable.");
    }

    @Test
    void uvsMissingPackageIsNamed() {
        List<String> tail = List.of("error: No solution found when resolving dependencies",
                "  cause: Because wavestore-it-no-such-package was not found in the package registry and you require"
                        + " wavestore-it-no-such-package==0.0.1, we can conclude that your requirements are"
                        + " unsatisfiable.");
        assertThat(FailureReason.installError(tail)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("package wavestore-it-no-such-package: error: No solution found"));
    }

    @Test
    void anErrorWithoutAPackageIsStillGiven() {
        List<String> tail = List.of("error: The build backend returned an error",
                "  cause: Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)");
        assertThat(FailureReason.installError(tail)).contains("error: The build backend returned an error; cause:"
                + " Call to `setuptools.build_meta:__legacy__.build_wheel` failed (exit status: 1)");
    }

    @Test
    void outputWithoutAnErrorGivesNoReason() {
        assertThat(FailureReason.installError(List.of("Collecting h2o-wave", "Killed"))).isEmpty();
    }
}
