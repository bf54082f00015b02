package io.wavestore.scheduler;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.scheduler.runtime.WaveOidc;
import io.wavestore.scheduler.secrets.SecretResolver;
import java.util.Optional;

/** Turns an instance's record and its app version into the full spec a runtime installs, with a fresh credential. */
public final class InstanceSpecFactory {

    private final SchedulerSettings settings;
    private final InstanceCredentials credentials;
    private final SecretResolver secrets;
    private final Optional<AppOidcClient> appOidc;

    /** Secret references stay the names of Kubernetes Secrets, as app.toml wrote them. */
    public InstanceSpecFactory(SchedulerSettings settings, InstanceCredentials credentials) {
        this(settings, credentials, SecretResolver.none(), Optional.empty());
    }

    public InstanceSpecFactory(SchedulerSettings settings, InstanceCredentials credentials, SecretResolver secrets,
            Optional<AppOidcClient> appOidc) {
        this.settings = settings;
        this.credentials = credentials;
        this.secrets = secrets;
        this.appOidc = appOidc;
    }

    /** @throws io.wavestore.scheduler.secrets.SecretUnavailable when a secret the app needs cannot be had */
    public InstanceSpec spec(InstanceRecord record, AppLookup.AppRuntime app) {
        String id = record.instanceId();
        String api = settings.publicUrl() + "/api/v1/instances/" + id;
        // DOMAIN routing serves the app at the root of its own host name; BASE_URL under the store's path.
        String baseUrl = app.runtime().routingMode() == RoutingMode.DOMAIN ? "/" : "/instance/" + id + "/";
        // At every start, resume and update: which secret a name means can change between them.
        SecretResolver.Resolved resolved = secrets.resolve(record.ownerId(), record.ownerFullUser(), record.appName(),
                app.env(), app.files(),
                record.suspended());
        return new InstanceSpec(record, app.runtime(), resolved.env(), resolved.files(), new InstanceSpec.LauncherSettings(
                api + "/bundle", app.bundleSha256(), credentials.issue(id), api + "/progress", baseUrl,
                oidc(id, app, baseUrl)));
    }

    private Optional<WaveOidc> oidc(String id, AppLookup.AppRuntime app, String baseUrl) {
        if (!app.runtime().enableOidc()) {
            return Optional.empty();
        }
        // Started without it, the app would greet everyone as Wave's anonymous user: refused with the reason instead.
        AppOidcClient client = appOidc.orElseThrow(() -> new RuntimeFailure(RuntimeFailure.Kind.FAILED,
                "the app signs its users in (EnableOIDC = true), but this store has no OpenID Connect client for apps:"
                        + " set wavestore.identity.app-oidc.client-id (WAVESTORE_APP_OIDC_CLIENT_ID)"));
        return Optional.of(client.forInstance(id, app.runtime().routingMode(), baseUrl));
    }

    public InstanceCredentials credentials() {
        return credentials;
    }
}
