package io.gan4j.core.backend.cpu;

/** Scratch arrays that grow on demand and are kept, so a steady workload allocates nothing. */
final class Scratch {
    private Scratch() {
    }

    /** {@code buffer} if it holds at least {@code length} floats, else a new array of exactly that many. */
    static float[] atLeast(float[] buffer, long length) {
        return buffer.length < length ? new float[Math.toIntExact(length)] : buffer;
    }
}
