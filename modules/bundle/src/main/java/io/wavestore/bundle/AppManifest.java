package io.wavestore.bundle;

import java.util.List;
import java.util.Optional;

/** A parsed and validated app.toml. Build one with {@link ManifestParser}. */
public record AppManifest(AppSection app, RuntimeSection runtime, List<EnvVarSpec> env, List<FileSpec> files,
                          Optional<LinkSection> link) {
    public AppManifest {
        env = List.copyOf(env);
        files = List.copyOf(files);
    }
}
