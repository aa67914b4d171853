package io.gan4j.core.backend.cpu;

/**
 * Single-precision GEMM of the CPU backend, row-major: {@code C = alpha * op(A) op(B) + beta * C}.
 */
final class CpuGemm {
    private final Parallel parallel;

    CpuGemm(Parallel parallel) {
        this.parallel = parallel;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc) {
        // op(B) as a dense k x n row-major panel, so that the inner loop runs along contiguous rows
        float[] bp;
        int bpOff;
        int ldbp;
        if (transB) {
            bp = new float[k * n];
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) {
                    bp[p * n + j] = b[src + p];
                }
            }
            bpOff = 0;
            ldbp = n;
        } else {
            bp = b;
            bpOff = bOff;
            ldbp = ldb;
        }
        parallel.forRange(m, Math.max(1, (1 << 16) / Math.max(1, n * Math.max(1, k) / 64)), (from, to) -> {
            float[] row = new float[n];
            for (int i = from; i < to; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bRow = bpOff + p * ldbp;
                    for (int j = 0; j < n; j++) {
                        row[j] += av * bp[bRow + j];
                    }
                }
                int cRow = cOff + i * ldc;
                if (beta == 0f) {
                    for (int j = 0; j < n; j++) c[cRow + j] = alpha * row[j];
                } else {
                    for (int j = 0; j < n; j++) c[cRow + j] = alpha * row[j] + beta * c[cRow + j];
                }
            }
        });
    }
}
