package io.wavestore.catalog;

/** The reply to every catalog command: a value, or the reason it failed. */
public sealed interface CatalogResult<T> {

    record Ok<T>(T value) implements CatalogResult<T> {
    }

    /** {@code error} is a {@link CatalogException}, a {@code BundleException}, or an unexpected failure. */
    record Failed<T>(Throwable error) implements CatalogResult<T> {
    }
}
