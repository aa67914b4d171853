package io.gan4j.cuda;

import static io.gan4j.cuda.CudaTestSupport.CPU;
import static io.gan4j.cuda.CudaTestSupport.assertClose;
import static io.gan4j.cuda.CudaTestSupport.cuda;
import static io.gan4j.cuda.CudaTestSupport.download;
import static io.gan4j.cuda.CudaTestSupport.random;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.cuda.CudaTestSupport.Path;

/** SGEMM, cuBLAS and our tiled kernel, against the CPU backend (GPU only). */
class CudaGemmTest {

    @ParameterizedTest
    @EnumSource(value = Path.class, names = {"LIBRARIES", "KERNEL_GEMM"})
    void everyTransposeBatchAndLeadingDimension(Path path) {
        CudaBackend gpu = cuda(path);
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {64, 64, 64}, {65, 129, 31}, {100, 1, 6272}, {1, 300, 100}, {257, 190, 513}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int pad = 3;   // leading dimensions larger than the rows
                int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                int rowsA = ta ? k : m, rowsB = tb ? n : k;
                int batch = 3;
                long sa = (long) rowsA * lda, sb = (long) rowsB * ldb, sc = (long) m * ldc;
                float[] a = random(rnd, (int) (sa * batch), 1f);
                float[] b = random(rnd, (int) (sb * batch), 1f);
                float[] c = random(rnd, (int) (sc * batch), 1f);
                for (float beta : new float[] {0f, 0.5f}) {
                    float[][] out = new float[2][];
                    Backend[] backends = {CPU, gpu};
                    for (int j = 0; j < 2; j++) {
                        try (Buffer ba = backends[j].upload(a, 0, a.length); Buffer bb = backends[j].upload(b, 0, b.length);
                             Buffer bc = backends[j].upload(c, 0, c.length)) {
                            backends[j].gemm(ta, tb, m, n, k, 1.5f, ba, lda, sa, bb, ldb, sb, beta, bc, ldc, sc, batch);
                            out[j] = download(backends[j], bc);
                        }
                    }
                    assertClose(String.format("%s gemm m=%d n=%d k=%d ta=%b tb=%b beta=%s (seed %d)", path, m, n, k, ta, tb,
                            beta, seed), out[1], out[0]);
                }
            }
        }
    }
}
