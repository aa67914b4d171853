package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backend's binary op on random shapes with operands of every kind of stride pattern - contiguous, broadcast
 * along random axes, transposed - against the element-by-element definition, bit for bit: the axis merging and
 * the chunking of long rows over the threads must not change which elements meet.
 */
class CpuBinaryBroadcastTest {
    private static final CpuBackend BE = new CpuBackend(2);

    @AfterAll
    static void close() {
        BE.close();
    }

    @Test
    void everyStridePatternMatchesTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(17);
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX};
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                // sizes of 1 (dropped by the merging), small ones, and now and then a long axis
                shape[d] = rnd.nextInt(5) == 0 ? 1 : rnd.nextInt(10) == 0 ? 300 + rnd.nextInt(5000) : 2 + rnd.nextInt(20);
            }
            long total = 1;
            for (int s : shape) {
                total *= s;
            }
            if (total > 400_000) {
                continue;
            }
            long[] as = strides(rnd, shape);
            long[] bs = strides(rnd, shape);
            float[] a = random(rnd, extent(shape, as));
            float[] b = random(rnd, extent(shape, bs));
            BinaryOp op = ops[rnd.nextInt(ops.length)];
            float[] expected = new float[(int) total];
            int[] idx = new int[rank];
            for (int i = 0; i < total; i++) {
                long pa = 0;
                long pb = 0;
                for (int d = 0; d < rank; d++) {
                    pa += idx[d] * as[d];
                    pb += idx[d] * bs[d];
                }
                expected[i] = ScalarElementwiseKernels.apply(op, a[(int) pa], b[(int) pb]);
                for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                    idx[d] = 0;
                }
            }
            Buffer ab = BE.upload(a, 0, a.length);
            Buffer bb = BE.upload(b, 0, b.length);
            Buffer out = BE.allocate(total);
            BE.binary(op, ab, as, bb, bs, out, shape);
            float[] actual = new float[(int) total];
            BE.download(out, actual, 0);
            assertArrayEquals(expected, actual, 0f, () -> op + " on " + java.util.Arrays.toString(shape) + ", strides a "
                    + java.util.Arrays.toString(as) + " b " + java.util.Arrays.toString(bs));
            ab.close();
            bb.close();
            out.close();
        }
    }

    @Test
    void mergingKeepsTheAxesThatCannotBeMerged() {
        int[] dims = new int[4];
        long[] sa = new long[4];
        long[] sb = new long[4];
        // a contiguous, b one value per channel: [16, 64, 14, 14] -> [16, 64, 196]
        int r = CpuElementwise.collapse(new int[] {16, 64, 14, 14}, new long[] {12544, 196, 14, 1},
                new long[] {0, 1, 0, 0}, dims, sa, sb);
        assertEquals(3, r);
        assertArrayEquals(new int[] {16, 64, 196}, java.util.Arrays.copyOf(dims, 3));
        assertArrayEquals(new long[] {12544, 196, 1}, java.util.Arrays.copyOf(sa, 3));
        assertArrayEquals(new long[] {0, 1, 0}, java.util.Arrays.copyOf(sb, 3));
        // both contiguous: one axis
        r = CpuElementwise.collapse(new int[] {16, 1, 28, 28}, new long[] {784, 0, 28, 1}, new long[] {784, 784, 28, 1},
                dims, sa, sb);
        assertEquals(1, r);
        assertEquals(16 * 784, dims[0]);
    }

    /** Per axis: contiguous, broadcast (0), or the axes in another order (a transposed view). */
    private static long[] strides(SplittableRandom rnd, int[] shape) {
        int rank = shape.length;
        long[] s = new long[rank];
        int kind = rnd.nextInt(3);
        int[] order = new int[rank];
        for (int d = 0; d < rank; d++) {
            order[d] = d;
        }
        if (kind == 2) {
            for (int d = rank - 1; d > 0; d--) {
                int j = rnd.nextInt(d + 1);
                int t = order[d];
                order[d] = order[j];
                order[j] = t;
            }
        }
        long step = 1;
        for (int k = rank - 1; k >= 0; k--) {
            int d = order[k];
            boolean broadcast = kind == 1 && rnd.nextBoolean();
            s[d] = broadcast ? 0 : step;
            if (!broadcast) {
                step *= shape[d];
            }
        }
        return s;
    }

    private static int extent(int[] shape, long[] strides) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            last += (shape[d] - 1) * strides[d];
        }
        return (int) last + 1;
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() + (rnd.nextInt(50) == 0 ? 0f : 0.001f);
        }
        return v;
    }
}
