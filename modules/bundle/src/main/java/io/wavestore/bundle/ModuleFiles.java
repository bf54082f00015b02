package io.wavestore.bundle;

import java.util.List;
import java.util.Optional;

/**
 * Checks that {@code Runtime.Module} names code the bundle has, so that a typo is refused at upload rather than
 * found when an instance fails to start. The launcher runs the module from the bundle's root (Wave's runner,
 * {@code python -m h2o_wave run <module>}, imports {@code <module>:main} with the root on {@code sys.path}), so
 * {@code a.b.c} is {@code a/b/c.py} or the package {@code a/b/c/__init__.py}, found as Python finds it. Parent
 * folders need no {@code __init__.py}: Python imports them as namespace packages (PEP 420), and relative imports
 * inside the module work either way. A folder named like the module without {@code __init__.py} is refused: it
 * would import as an empty namespace package with nothing to run.
 */
final class ModuleFiles {

    static final String FIELD = "Runtime.Module";

    private ModuleFiles() {
    }

    /** Nothing when the manifest names no module (a LINK app) or the bundle has it; otherwise what is wrong. */
    static Optional<FieldViolation> check(AppManifest manifest, List<String> fileNames) {
        Optional<String> module = manifest.runtime().module();
        if (module.isEmpty()) {
            return Optional.empty();
        }
        String path = module.get().replace('.', '/');
        List<String> candidates = List.of(path + ".py", path + "/__init__.py");
        if (candidates.stream().anyMatch(fileNames::contains)) {
            return Optional.empty();
        }
        return Optional.of(new FieldViolation(FIELD, "names the Python module '" + module.get()
                + "', but the bundle has neither " + candidates.get(0) + " nor " + candidates.get(1)
                + " (paths from the bundle's root, where app.toml is)"));
    }
}
