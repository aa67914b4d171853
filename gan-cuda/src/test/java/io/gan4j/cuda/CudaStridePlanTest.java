package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The broadcast plan the strided kernels read gives the same offsets as the plain definition (no GPU needed). */
class CudaStridePlanTest {

    @Test
    void mergedPlansAddressLikeTheUnmergedStrides() {
        Random r = new Random(42);
        for (int trial = 0; trial < 500; trial++) {
            int rank = 1 + r.nextInt(10);
            int[] shape = new int[rank];
            long[] a = new long[rank];
            long[] b = new long[rank];
            long sa = 1;
            long sb = 1;
            for (int d = rank - 1; d >= 0; d--) {
                shape[d] = 1 + r.nextInt(3);
                a[d] = r.nextInt(4) == 0 ? 0 : sa;     // contiguous, or broadcast along d
                b[d] = r.nextInt(4) == 0 ? 0 : sb;
                sa *= shape[d];
                sb *= shape[d];
            }
            long[] plan;
            try {
                plan = StridePlan.of(shape, a, b);
            } catch (IllegalArgumentException tooMany) {
                continue;   // more than 8 irregular axes: refused with a message
            }
            assertTrue(plan[0] <= CudaKernels.MAX_RANK);
            long n = 1;
            for (int s : shape) n *= s;
            for (long i = 0; i < n; i++) {
                long rest = i;
                long pa = 0;
                long pb = 0;
                for (int d = rank - 1; d >= 0; d--) {
                    long idx = rest % shape[d];
                    rest /= shape[d];
                    pa += idx * a[d];
                    pb += idx * b[d];
                }
                assertArrayEquals(new long[] {pa, pb}, StridePlan.offsets(plan, i), "element " + i);
            }
        }
    }

    @Test
    void contiguousTensorsCollapseToOneAxis() {
        long[] plan = StridePlan.of(new int[] {4, 3, 5}, new long[] {15, 5, 1}, new long[] {15, 5, 1});
        assertEquals(1, plan[0]);
        assertEquals(60, plan[1]);
    }
}
