package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.UnaryOp;

/**
 * The loops of the CPU backend's elementwise work over runs of {@code n} floats, each run at its own offset:
 * plain Java one element at a time ({@link ScalarElementwiseKernels}) or on the Vector API
 * ({@code VectorElementwiseKernels}), the same arithmetic in the same order (no fused multiply-add), so both
 * give the same bits.
 *
 * <p>Why a Vector API version: C2 (JDK 17) vectorises {@code y[yo + i] = f(x[xo + i])} only when it can prove
 * that the runs do not overlap, and with two offsets into arrays that may be one and the same it cannot. Such
 * loops ran one element at a time: Adam over dcgan-mnist's 2.5 million parameters took 7.7 ms on one core with
 * offsets and 0.9 ms without (docs/bench/cpu-2026-12-02-session17.txt).
 */
interface ElementwiseKernels {
    /** {@code y[yo + i] = op(a, x[xo + i])} for i in [0, n); the runs may be one and the same. */
    void unary(UnaryOp op, float a, float[] x, int xo, float[] y, int yo, int n);

    /** {@code o[oo + i] = op(a[ao + i], b[bo + i])}. */
    void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n);

    /** {@code o[oo + i] = op(a[ao + i], b)}: the right operand broadcast. */
    void binaryScalarRight(BinaryOp op, float[] a, int ao, float b, float[] o, int oo, int n);

    /** {@code o[oo + i] = op(a, b[bo + i])}: the left operand broadcast. */
    void binaryScalarLeft(BinaryOp op, float a, float[] b, int bo, float[] o, int oo, int n);

    /** {@code y[yo + i] = a * x[xo + i] + b * y[yo + i]}, two roundings per product and one for the sum. */
    void axpby(float a, float[] x, int xo, float b, float[] y, int yo, int n);

    /** {@code y[yo + i] += x[xo + i]}. */
    void addTo(float[] x, int xo, float[] y, int yo, int n);

    /** The Adam/AdamW update of {@link CpuAdam} over n parameters, their gradients and both moments. */
    void adam(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n,
              CpuAdam.Coefficients c);
}
