package io.gan4j.core.backend;

/**
 * Service-provider interface through which {@link Device} discovers backends other than the CPU one
 * (declared in {@code META-INF/services/io.gan4j.core.backend.BackendProvider}).
 */
public interface BackendProvider {

    /** The name users select it by, e.g. "cuda". */
    String name();

    /** Higher is preferred by {@link Device#auto()}; the CPU backend is 0. */
    int priority();

    /**
     * Creates the backend, or throws {@link BackendUnavailableException} with a one-line reason (no
     * GPU, a library that does not load) when it cannot be used on this machine.
     */
    Backend create() throws BackendUnavailableException;
}
