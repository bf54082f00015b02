package io.wavestore.bundle;

/** What kind of process the app is, as {@code Runtime.AppMode} in app.toml. */
public enum AppMode {
    /** An H2O Wave app served through a {@code waved} server. The default. */
    WAVE,
    /** A plain Python web app (Streamlit, Dash, ...) that listens on {@code Runtime.Port} itself. */
    PYTHON
}
