package io.wavestore.server;

import io.wavestore.bundle.AppManifest;
import io.wavestore.catalog.CatalogService;
import io.wavestore.catalog.ManifestJson;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.scheduler.AppLookup;
import java.util.Optional;

/** The scheduler's view of the catalog: what an app version needs to run. */
public final class CatalogAppLookup implements AppLookup {

    private final CatalogService catalog;

    public CatalogAppLookup(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<AppRuntime> find(String appName, String appVersion) {
        return catalog.find(appName, appVersion).map(CatalogAppLookup::runtimeOf);
    }

    /** What an instance of this app version runs, from its stored manifest. */
    public static AppRuntime runtimeOf(AppVersion app) {
        AppManifest manifest = ManifestJson.read(app.manifestJson());
        return new AppRuntime(app.id().toString(), app.name(), app.version(), app.ownerId(), app.lifecycle(),
                manifest.runtime(), manifest.env(), manifest.files(), app.bundleDigest(),
                manifest.app().instanceTimeout());
    }
}
