package io.wavestore.launcher;

/**
 * What the launcher is doing, in the order it does it. The names are part of the progress protocol with the
 * store (the waiting page and the instance status show them), so they never change; new steps are added, never
 * renamed. A failure is reported as the step that failed with the state {@code failed}; after {@link #READY}, a
 * child that dies is reported as {@code READY} + {@code failed}.
 */
public enum Step {
    /** Fetching the bundle from the store (or the local file) and checking its SHA-256. */
    DOWNLOADING_BUNDLE("Downloading the app"),
    /** Unpacking the bundle with the bundle module's safe reader and writing the instance's files. */
    SOURCING_APP("Sourcing the app"),
    /** packages.txt with apt (as root), the virtual environment and requirements.txt with pip. */
    INSTALLING_DEPENDENCIES("Installing dependencies"),
    /** Starting waved and waiting until it answers (Wave apps only). */
    STARTING_WAVE_SERVER("Starting the Wave server"),
    /** Starting the app and waiting until it is registered with waved (or answers on its port). */
    STARTING_APP("Starting the app"),
    /** Everything runs; the instance serves requests. */
    READY("Ready");

    private final String title;

    Step(String title) {
        this.title = title;
    }

    /** A short human title, e.g. "Installing dependencies". */
    public String title() {
        return title;
    }
}
