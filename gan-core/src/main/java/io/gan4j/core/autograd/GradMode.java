package io.gan4j.core.autograd;

/**
 * Whether ops record themselves on the tape (per thread). {@code try (var off = GradMode.disable()) {...}}
 * computes without building a graph, e.g. for the discriminator's fake batch or for sampling.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private final boolean previous;

    private GradMode(boolean enabled) {
        this.previous = ENABLED.get();
        ENABLED.set(enabled);
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned object is closed. */
    public static GradMode disable() {
        return new GradMode(false);
    }

    /** Turns recording on until the returned object is closed. */
    public static GradMode enable() {
        return new GradMode(true);
    }

    /** Sets recording on or off until the returned object is closed. */
    public static GradMode set(boolean enabled) {
        return new GradMode(enabled);
    }

    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
