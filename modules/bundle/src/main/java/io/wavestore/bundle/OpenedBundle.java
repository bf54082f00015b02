package io.wavestore.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A bundle that passed every check and was extracted into {@code root}. Screenshots are in natural order
 * (screenshot2 before screenshot10); {@code longDescription} is the markdown App.LongDescription names;
 * {@code requirements} and {@code packages} are the extracted requirements.txt and packages.txt, if any.
 */
public record OpenedBundle(AppManifest manifest, Path root, Optional<BundleImage> icon,
                           List<BundleImage> screenshots, Optional<String> longDescription,
                           Optional<Path> requirements, Optional<Path> packages) {
    public OpenedBundle {
        screenshots = List.copyOf(screenshots);
    }
}
