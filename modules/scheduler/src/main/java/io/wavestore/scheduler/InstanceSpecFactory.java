package io.wavestore.scheduler;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;

/** Turns an instance's record and its app version into the full spec a runtime installs, with a fresh credential. */
public final class InstanceSpecFactory {

    private final SchedulerSettings settings;
    private final InstanceCredentials credentials;

    public InstanceSpecFactory(SchedulerSettings settings, InstanceCredentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    public InstanceSpec spec(InstanceRecord record, AppLookup.AppRuntime app) {
        String id = record.instanceId();
        String api = settings.publicUrl() + "/api/v1/instances/" + id;
        // DOMAIN routing serves the app at the root of its own host name; BASE_URL under the store's path.
        String baseUrl = app.runtime().routingMode() == RoutingMode.DOMAIN ? "/" : "/instance/" + id + "/";
        return new InstanceSpec(record, app.runtime(), app.env(), app.files(), new InstanceSpec.LauncherSettings(
                api + "/bundle", app.bundleSha256(), credentials.issue(id), api + "/progress", baseUrl));
    }

    public InstanceCredentials credentials() {
        return credentials;
    }
}
