package io.wavestore.launcher;

/**
 * The launcher's contract: every environment variable it reads, named exactly as the constant. The store's two
 * runtimes give a launcher its variables (the local runtime as a process's environment, the chart
 * {@code charts/wave-instance} as the container's), and they take the names from here; {@link #setBy} says which of
 * them sets each one, and a test renders the chart and checks that it sets exactly its share. Plain Java, so the
 * scheduler can use it without the launcher gaining anything.
 */
public enum LauncherVariable {

    WAVESTORE_INSTANCE_ID(SetBy.BOTH),
    WAVESTORE_BUNDLE_URL(SetBy.BOTH),
    /** A bundle on disk instead of a download: for running a launcher by hand. */
    WAVESTORE_BUNDLE_FILE(SetBy.NEITHER),
    WAVESTORE_BUNDLE_SHA256(SetBy.BOTH),
    WAVESTORE_INSTANCE_TOKEN(SetBy.BOTH),
    WAVESTORE_PROGRESS_URL(SetBy.BOTH),
    WAVESTORE_CREDENTIAL_RENEW_INTERVAL(SetBy.LOCAL),
    WAVESTORE_WORK_DIR(SetBy.BOTH),
    WAVESTORE_VENV_DIR(SetBy.BOTH),
    WAVESTORE_WAVE_DATA_DIR(SetBy.BOTH),
    WAVESTORE_LISTEN_ADDRESS(SetBy.BOTH),
    /** Wave's own name: the launcher reads it and hands it on to waved and the app. */
    H2O_WAVE_BASE_URL(SetBy.BOTH),
    /** Wave's own names: keys the launcher's children use instead of fresh ones, when an operator sets them. */
    H2O_WAVE_ACCESS_KEY_ID(SetBy.NEITHER),
    H2O_WAVE_ACCESS_KEY_SECRET(SetBy.NEITHER),

    WAVESTORE_APP_MODULE(SetBy.BOTH),
    WAVESTORE_APP_MODE(SetBy.BOTH),
    WAVESTORE_APP_PORT(SetBy.BOTH),
    /** The app's variables, secrets resolved; the chart gives them to the container as variables of their own. */
    WAVESTORE_APP_ENV_JSON(SetBy.LOCAL),
    WAVESTORE_APP_FILES_JSON(SetBy.BOTH),
    WAVESTORE_APP_SECRET_FILES_JSON(SetBy.CHART),
    /** Where absolute file paths may be written; never set by the store: files stay inside the instance. */
    WAVESTORE_APP_FILES_ROOTS(SetBy.NEITHER),

    /** Wave's sign-in for apps with {@code EnableOIDC = true}, handed to waved alone as {@code H2O_WAVE_OIDC_*}. */
    WAVESTORE_APP_OIDC_CLIENT_ID(SetBy.BOTH),
    WAVESTORE_APP_OIDC_CLIENT_SECRET(SetBy.BOTH),
    WAVESTORE_APP_OIDC_PROVIDER_URL(SetBy.BOTH),
    WAVESTORE_APP_OIDC_REDIRECT_URL(SetBy.BOTH),
    WAVESTORE_APP_OIDC_END_SESSION_URL(SetBy.BOTH),
    WAVESTORE_APP_OIDC_POST_LOGOUT_REDIRECT_URL(SetBy.BOTH),
    WAVESTORE_APP_OIDC_SCOPES(SetBy.BOTH),
    WAVESTORE_APP_OIDC_SKIP_LOGIN(SetBy.BOTH),

    WAVESTORE_PYTHON(SetBy.LOCAL),
    WAVESTORE_UV(SetBy.LOCAL),
    WAVESTORE_DEPENDENCY_CACHE(SetBy.BOTH),
    WAVESTORE_DEPENDENCY_CACHE_MAX(SetBy.BOTH),
    WAVESTORE_SYSTEM_PACKAGES(SetBy.LOCAL),
    WAVESTORE_SANDBOX(SetBy.LOCAL),
    WAVESTORE_SANDBOX_UID(SetBy.LOCAL),
    WAVESTORE_INSTALL_TIMEOUT(SetBy.NEITHER),
    WAVESTORE_START_TIMEOUT(SetBy.NEITHER),
    WAVESTORE_STOP_GRACE(SetBy.NEITHER),

    /** The bundle limits the launcher checks the download against (the store's defaults when unset). */
    WAVESTORE_BUNDLE_MAX_ENTRIES(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_UNCOMPRESSED_BYTES(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_ENTRY_BYTES(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_COMPRESSION_RATIO(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_IMAGE_BYTES(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_IMAGE_PIXELS(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_SCREENSHOTS(SetBy.NEITHER),
    WAVESTORE_BUNDLE_MAX_LONG_DESCRIPTION_BYTES(SetBy.NEITHER);

    /** The variables of Wave's sign-in for apps start with this. */
    public static final String APP_OIDC_PREFIX = "WAVESTORE_APP_OIDC_";

    /** Which of the store's runtimes gives a launcher the variable (when the instance needs it at all). */
    public enum SetBy {
        /** The local runtime and the chart. */
        BOTH,
        /** Only the chart, on Kubernetes. */
        CHART,
        /** Only the local runtime. */
        LOCAL,
        /** Neither: a launcher's default serves, or whoever runs a launcher by hand sets it. */
        NEITHER
    }

    private final SetBy setBy;

    LauncherVariable(SetBy setBy) {
        this.setBy = setBy;
    }

    public SetBy setBy() {
        return setBy;
    }

    public boolean setByChart() {
        return setBy == SetBy.BOTH || setBy == SetBy.CHART;
    }
}
