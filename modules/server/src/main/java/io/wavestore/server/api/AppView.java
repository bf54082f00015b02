package io.wavestore.server.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.wavestore.catalog.model.AppImage;
import io.wavestore.catalog.model.AppVersion;
import java.time.Instant;
import java.util.List;

/** An app version as the API shows it: metadata, links to its files, and its manifest. */
public record AppView(
        String id,
        String name,
        String version,
        String title,
        String description,
        String longDescription,
        String owner,
        String visibility,
        String lifecycle,
        List<String> tags,
        Instant createdAt,
        String url,
        String iconUrl,
        List<ImageView> screenshots,
        BundleView bundle,
        @JsonRawValue String manifest) {

    public record ImageView(String url, String mediaType, int width, int height, long size) {
    }

    public record BundleView(String url, String sha256, long size) {
    }

    public static AppView of(AppVersion app) {
        String url = ApiPaths.app(app.name(), app.version());
        List<ImageView> screenshots = app.screenshots().stream()
                .map(s -> image(url + "/screenshots/" + s.position(), s))
                .toList();
        return new AppView(app.id().toString(), app.name(), app.version(), app.title(), app.description(),
                app.longDescription().orElse(null), app.ownerId(), app.visibility().name(), app.lifecycle().name(),
                app.tags(), app.createdAt(), url, app.icon().map(i -> url + "/icon").orElse(null), screenshots,
                new BundleView(url + "/bundle", app.bundleDigest(), app.bundleSize()), app.manifestJson());
    }

    private static ImageView image(String url, AppImage image) {
        return new ImageView(url, image.mediaType(), image.width(), image.height(), image.size());
    }
}
