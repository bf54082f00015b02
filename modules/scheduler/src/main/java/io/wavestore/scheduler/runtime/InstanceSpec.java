package io.wavestore.scheduler.runtime;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.bundle.RuntimeSection;
import java.util.List;
import java.util.Objects;

/**
 * What a runtime needs to install or change an instance: its record (which goes into the release) and how to run
 * the app (which the launcher gets).
 *
 * @param record        the facts that make up the instance
 * @param runtime       the app's [Runtime] section: module, resources, GPU, volumes, SHM, routing and app mode
 * @param env           the app's [[Env]] entries (values, or Kubernetes Secret references)
 * @param files         the app's [[File]] entries
 * @param launcher      where the launcher gets the bundle and reports progress
 */
public record InstanceSpec(
        InstanceRecord record,
        RuntimeSection runtime,
        List<EnvVarSpec> env,
        List<FileSpec> files,
        LauncherSettings launcher) {

    public InstanceSpec {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(runtime, "runtime");
        env = List.copyOf(env);
        files = List.copyOf(files);
        Objects.requireNonNull(launcher, "launcher");
    }

    public String instanceId() {
        return record.instanceId();
    }

    public AppMode appMode() {
        return runtime.appMode();
    }

    /**
     * @param bundleUrl    where the launcher downloads the bundle (the store's API)
     * @param bundleSha256 the bundle's digest, verified by the launcher
     * @param token        the per-instance credential the launcher sends; never logged
     * @param progressUrl  where the launcher reports its progress
     * @param baseUrl      the path prefix the app is served under (BASE_URL routing), e.g. {@code /instance/<id>/}
     * @param oidc         Wave's sign-in settings when the app has EnableOIDC and the store a client for apps
     */
    public record LauncherSettings(String bundleUrl, String bundleSha256, String token, String progressUrl, String baseUrl,
                                   java.util.Optional<WaveOidc> oidc) {

        public LauncherSettings {
            oidc = oidc == null ? java.util.Optional.empty() : oidc; // a record written before apps had OIDC
        }

        public LauncherSettings(String bundleUrl, String bundleSha256, String token, String progressUrl, String baseUrl) {
            this(bundleUrl, bundleSha256, token, progressUrl, baseUrl, java.util.Optional.empty());
        }

        @Override
        public String toString() {
            return "LauncherSettings[bundleUrl=" + bundleUrl + ", bundleSha256=" + bundleSha256 + ", token=***, progressUrl="
                    + progressUrl + ", baseUrl=" + baseUrl + ", oidc=" + oidc + "]";
        }
    }
}
