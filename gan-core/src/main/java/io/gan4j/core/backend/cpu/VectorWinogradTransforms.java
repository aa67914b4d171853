package io.gan4j.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static io.gan4j.core.backend.cpu.ScalarWinogradTransforms.QUARTER;
import static io.gan4j.core.backend.cpu.ScalarWinogradTransforms.SIXTH;
import static io.gan4j.core.backend.cpu.ScalarWinogradTransforms.THIRD;
import static io.gan4j.core.backend.cpu.ScalarWinogradTransforms.TWELFTH;
import static io.gan4j.core.backend.cpu.ScalarWinogradTransforms.TWENTY_FOURTH;

/**
 * {@link WinogradTransforms} on the incubating Vector API, one vector's width of images at a time (8 or 16,
 * {@link VectorWidth}), the rest of a run in plain Java. Multiplies and adds stay separate (no fused multiply-add), so the bits are those of
 * {@link ScalarWinogradTransforms}. Only {@link VectorSupport} names this class, reflectively.
 */
final class VectorWinogradTransforms implements WinogradTransforms {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private final ScalarWinogradTransforms rest = new ScalarWinogradTransforms();

    @Override
    public void input(float[] d, int di, int ds, float[] o, int oi, int os, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector d0 = FloatVector.fromArray(S, d, di + j);
            FloatVector d1 = FloatVector.fromArray(S, d, di + ds + j);
            FloatVector d2 = FloatVector.fromArray(S, d, di + 2 * ds + j);
            FloatVector d3 = FloatVector.fromArray(S, d, di + 3 * ds + j);
            FloatVector d4 = FloatVector.fromArray(S, d, di + 4 * ds + j);
            FloatVector d5 = FloatVector.fromArray(S, d, di + 5 * ds + j);
            d0.mul(4f).sub(d2.mul(5f)).add(d4).intoArray(o, oi + j);
            d1.add(d2).mul(4f).sub(d3.add(d4)).intoArray(o, oi + os + j);
            d2.sub(d1).mul(4f).add(d3.sub(d4)).intoArray(o, oi + 2 * os + j);
            d3.sub(d1).mul(2f).add(d4.sub(d2)).intoArray(o, oi + 3 * os + j);
            d1.sub(d3).mul(2f).add(d4.sub(d2)).intoArray(o, oi + 4 * os + j);
            d1.mul(4f).sub(d3.mul(5f)).add(d5).intoArray(o, oi + 5 * os + j);
        }
        rest.input(d, di + j, ds, o, oi + j, os, n - j);
    }

    @Override
    public void output(float[] m, int mi, int ms, float[] o, int oi, int os, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector m1 = FloatVector.fromArray(S, m, mi + ms + j);
            FloatVector m2 = FloatVector.fromArray(S, m, mi + 2 * ms + j);
            FloatVector m3 = FloatVector.fromArray(S, m, mi + 3 * ms + j);
            FloatVector m4 = FloatVector.fromArray(S, m, mi + 4 * ms + j);
            FloatVector.fromArray(S, m, mi + j).add(m1.add(m2)).add(m3.add(m4)).intoArray(o, oi + j);
            m1.sub(m2).add(m3.sub(m4).mul(2f)).add(FloatVector.fromArray(S, m, mi + 5 * ms + j))
                    .intoArray(o, oi + os + j);
        }
        rest.output(m, mi + j, ms, o, oi + j, os, n - j);
    }

    @Override
    public void outputGradient(float[] y, int yi, int ys, float[] o, int oi, int os, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector y0 = FloatVector.fromArray(S, y, yi + j);
            FloatVector y1 = FloatVector.fromArray(S, y, yi + ys + j);
            FloatVector twice = y1.mul(2f);
            y0.intoArray(o, oi + j);
            y0.add(y1).intoArray(o, oi + os + j);
            y0.sub(y1).intoArray(o, oi + 2 * os + j);
            y0.add(twice).intoArray(o, oi + 3 * os + j);
            y0.sub(twice).intoArray(o, oi + 4 * os + j);
            y1.intoArray(o, oi + 5 * os + j);
        }
        rest.outputGradient(y, yi + j, ys, o, oi + j, os, n - j);
    }

    @Override
    public void kernel(float[] k, int ki, int ks, float[] o, int oi, int os, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector x0 = FloatVector.fromArray(S, k, ki + j);
            FloatVector x1 = FloatVector.fromArray(S, k, ki + ks + j);
            FloatVector x2 = FloatVector.fromArray(S, k, ki + 2 * ks + j);
            FloatVector x3 = FloatVector.fromArray(S, k, ki + 3 * ks + j);
            FloatVector x4 = FloatVector.fromArray(S, k, ki + 4 * ks + j);
            FloatVector even = x0.add(x2).add(x4);
            FloatVector odd = x1.add(x3);
            FloatVector even2 = x0.add(x2.mul(4f)).add(x4.mul(16f));
            FloatVector odd2 = x1.mul(2f).add(x3.mul(8f));
            x0.mul(QUARTER).intoArray(o, oi + j);
            even.add(odd).mul(SIXTH).intoArray(o, oi + os + j);
            even.sub(odd).mul(SIXTH).intoArray(o, oi + 2 * os + j);
            even2.add(odd2).mul(TWENTY_FOURTH).intoArray(o, oi + 3 * os + j);
            even2.sub(odd2).mul(TWENTY_FOURTH).intoArray(o, oi + 4 * os + j);
            x4.intoArray(o, oi + 5 * os + j);
        }
        rest.kernel(k, ki + j, ks, o, oi + j, os, n - j);
    }

    @Override
    public void kernelGradient(float[] u, int ui, int us, float[] o, int oi, int os, int n) {
        int j = 0;
        for (int end = S.loopBound(n); j < end; j += S.length()) {
            FloatVector u1 = FloatVector.fromArray(S, u, ui + us + j);
            FloatVector u2 = FloatVector.fromArray(S, u, ui + 2 * us + j);
            FloatVector u3 = FloatVector.fromArray(S, u, ui + 3 * us + j);
            FloatVector u4 = FloatVector.fromArray(S, u, ui + 4 * us + j);
            FloatVector plus = u1.add(u2);
            FloatVector minus = u1.sub(u2);
            FloatVector plus2 = u3.add(u4);
            FloatVector minus2 = u3.sub(u4);
            FloatVector.fromArray(S, u, ui + j).mul(QUARTER).add(plus.mul(SIXTH)).add(plus2.mul(TWENTY_FOURTH))
                    .intoArray(o, oi + j);
            minus.mul(SIXTH).add(minus2.mul(TWELFTH)).intoArray(o, oi + os + j);
            plus.mul(SIXTH).add(plus2.mul(SIXTH)).intoArray(o, oi + 2 * os + j);
            minus.mul(SIXTH).add(minus2.mul(THIRD)).intoArray(o, oi + 3 * os + j);
            plus.mul(SIXTH).add(plus2.mul(2f).mul(THIRD)).add(FloatVector.fromArray(S, u, ui + 5 * us + j))
                    .intoArray(o, oi + 4 * os + j);
        }
        rest.kernelGradient(u, ui + j, us, o, oi + j, os, n - j);
    }
}
