package io.gan4j.core.backend.cpu;

/**
 * The transforms of {@link WinogradConvolution} over runs of {@code n} consecutive floats, one per image of a
 * batch slice (or, for the kernel's transforms, one per input channel): the same arithmetic, in the same order,
 * on every run element, which the Vector API does eight at a time ({@code VectorWinogradTransforms}) and plain
 * Java one at a time ({@link ScalarWinogradTransforms}); both give the same bits. Run k of an input starts at
 * {@code offset + k * stride}, and so does run k of the result.
 */
interface WinogradTransforms {
    /** The six runs of {@code Bᵀ d} for six runs d (points 0, 1, -1, 2, -2, infinity). */
    void input(float[] d, int di, int ds, float[] o, int oi, int os, int n);

    /** The two runs of {@code Aᵀ m} for six runs m. */
    void output(float[] m, int mi, int ms, float[] o, int oi, int os, int n);

    /** The six runs of {@code A y} for two runs y: the transpose of {@link #output}. */
    void outputGradient(float[] y, int yi, int ys, float[] o, int oi, int os, int n);

    /** The six runs of {@code G k} for five runs k of kernel taps. */
    void kernel(float[] k, int ki, int ks, float[] o, int oi, int os, int n);

    /** The five runs of {@code Gᵀ u} for six runs u: the transpose of {@link #kernel}. */
    void kernelGradient(float[] u, int ui, int us, float[] o, int oi, int os, int n);
}
