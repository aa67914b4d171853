package io.gan4j.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * The broadcast layout the strided kernels take ({@code struct Strides} of gan4j_kernels.cu): size-1 axes
 * dropped and neighbouring axes merged where both operands are contiguous across them, so that a broadcast of
 * any rank whose irregular axes number at most {@link CudaKernels#MAX_RANK} fits. Pure Java (tested without a GPU).
 */
final class StridePlan {
    private StridePlan() {
    }

    /**
     * {@code v[0]} = rank, {@code v[1..8]} shape, {@code v[9..16]} strides of {@code a}, {@code v[17..24]}
     * strides of {@code b} (b may be null: then zeros).
     */
    static long[] of(int[] shape, long[] a, long[] b) {
        int max = CudaKernels.MAX_RANK;
        List<long[]> axes = new ArrayList<>();   // {size, strideA, strideB}, outermost first
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                return empty(max);
            }
            if (shape[d] != 1) {
                axes.add(new long[] {shape[d], a[d], b == null ? 0 : b[d]});
            }
        }
        // merge axis d into d + 1 (the inner one) where (d, d+1) is one contiguous run for both operands
        List<long[]> merged = new ArrayList<>();
        for (long[] axis : axes) {
            if (!merged.isEmpty()) {
                long[] outer = merged.get(merged.size() - 1);
                // outer followed by axis: mergeable if outer.stride == axis.stride * axis.size for a and b
                if (outer[1] == axis[1] * axis[0] && outer[2] == axis[2] * axis[0]) {
                    merged.set(merged.size() - 1, new long[] {outer[0] * axis[0], axis[1], axis[2]});
                    continue;
                }
            }
            merged.add(axis);
        }
        if (merged.size() > max) {
            throw new IllegalArgumentException("cuda backend: broadcast over " + merged.size()
                    + " irregular axes (after merging), at most " + max + " supported");
        }
        long[] v = new long[1 + 3 * max];
        v[0] = merged.size();
        for (int d = 0; d < merged.size(); d++) {
            v[1 + d] = merged.get(d)[0];
            v[1 + max + d] = merged.get(d)[1];
            v[1 + 2 * max + d] = merged.get(d)[2];
        }
        return v;
    }

    private static long[] empty(int max) {
        long[] v = new long[1 + 3 * max];
        v[0] = -1;
        return v;
    }

    /** The offsets the kernel computes for linear output index {@code i} (the kernel's loop, in Java). */
    static long[] offsets(long[] v, long i) {
        int max = CudaKernels.MAX_RANK;
        long rest = i;
        long pa = 0;
        long pb = 0;
        for (int d = (int) v[0] - 1; d >= 0; d--) {
            long dim = v[1 + d];
            long idx = rest % dim;
            rest /= dim;
            pa += idx * v[1 + max + d];
            pb += idx * v[1 + 2 * max + d];
        }
        return new long[] {pa, pb};
    }
}
