package io.wavestore.bundle;

import java.util.Optional;

/**
 * {@code [Runtime]}: how to run an instance. Quantities are kept as written (Kubernetes quantity syntax,
 * already validated; see {@link Quantity}). An absent section yields {@link #defaults()}. {@code entryRoute} is the
 * Wave route (a path such as {@code /demo}) browsers open the app on, when the author names one ({@link EntryRoutes}).
 */
public record RuntimeSection(Optional<String> module, Optional<String> runtimeVersion,
                             Optional<String> memoryLimit, Optional<String> memoryReservation,
                             Optional<String> cpuLimit, Optional<String> cpuReservation,
                             int gpuCount, Optional<String> gpuType,
                             Optional<String> volumeMount, Optional<String> volumeSize,
                             Optional<String> resourceVolumeSize,
                             boolean enableOidc, boolean enableShm,
                             RoutingMode routingMode, AppMode appMode, Optional<Integer> port,
                             Optional<String> entryRoute) {

    public RuntimeSection {
        // A manifest stored before EntryRoute existed has none.
        entryRoute = entryRoute == null ? Optional.empty() : entryRoute;
    }

    /** What an app.toml without {@code [Runtime]} means: nothing requested, BASE_URL routing, a Wave app. */
    public static RuntimeSection defaults() {
        return new RuntimeSection(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, false, RoutingMode.BASE_URL, AppMode.WAVE, Optional.empty(),
                Optional.empty());
    }
}
