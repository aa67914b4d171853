package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CpuGemmTest {
    private static Parallel one;
    private static Parallel two;
    private static Parallel three;

    @BeforeAll
    static void pools() {
        one = new Parallel(1);
        two = new Parallel(2);
        three = new Parallel(3);
    }

    @AfterAll
    static void shutdown() {
        two.shutdown();
        three.shutdown();
    }

    /** One GEMM problem with random operands laid out with the given leading dimensions. */
    private static final class Case {
        final boolean ta;
        final boolean tb;
        final int m;
        final int n;
        final int k;
        final float alpha;
        final float beta;
        final int lda;
        final int ldb;
        final int ldc;
        final int aOff = 3;
        final int bOff = 5;
        final int cOff = 7;
        final float[] a;
        final float[] b;
        final float[] c;

        Case(long seed, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, int pad) {
            this.ta = ta;
            this.tb = tb;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.lda = (ta ? m : k) + pad;
            this.ldb = (tb ? k : n) + pad;
            this.ldc = n + pad;
            SplittableRandom r = new SplittableRandom(seed);
            a = random(r, aOff + (ta ? k : m) * lda);
            b = random(r, bOff + (tb ? n : k) * ldb);
            c = random(r, cOff + m * ldc);
        }

        float[] run(CpuGemm gemm) {
            float[] out = c.clone();
            gemm.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        float av(int i, int p) {
            return a[aOff + (ta ? p * lda + i : i * lda + p)];
        }

        float bv(int p, int j) {
            return b[bOff + (tb ? j * ldb + p : p * ldb + j)];
        }

        /** Compares with a double-precision product; elements outside the m x n window must be untouched. */
        void check(float[] got) {
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    assertEquals(c[idx], got[idx], 0f, () -> this + ": element outside C changed");
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double x = (double) av(i, p) * bv(p, j);
                        sum += x;
                        abs += Math.abs(x);
                    }
                    float old = c[cOff + i * ldc + j];
                    double oldTerm = beta == 0f ? 0 : beta * (double) old;   // beta == 0 ignores old, even NaN
                    double want = alpha * sum + oldTerm;
                    double bound = 1e-6 * (k + 4) * (Math.abs(alpha) * abs + Math.abs(oldTerm)) + 1e-30;
                    double diff = Math.abs(got[cOff + i * ldc + j] - want);
                    int ii = i;
                    int jj = j;
                    assertTrue(diff <= bound, () -> this + ": C[" + ii + "][" + jj + "] = " + got[cOff + ii * ldc + jj]
                            + ", expected " + want + " (error " + diff + " > " + bound + ")");
                }
            }
        }

        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                    + " beta=" + beta + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc;
        }
    }

    private static float[] random(SplittableRandom r, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Products that cross every boundary of the blocking: k blocks, row blocks, an n block, ragged tiles. */
    private static List<Case> chainCases() {
        List<Case> cases = new ArrayList<>();
        // several k blocks and a ragged last one, row blocks (MC), an n block (NC) boundary, ragged tiles
        cases.add(new Case(500, false, false, CpuGemm.MC + 13, 300, 2 * CpuGemm.KC + 61, 1f, 0f, 1));
        cases.add(new Case(501, true, true, 29, CpuGemm.NC + 5, CpuGemm.KC + 7, -0.5f, 1f, 2));
        cases.add(new Case(502, false, true, 128, 100, 784, 1f, 0.25f, 0));
        cases.add(new Case(503, true, false, 7, 9, CpuGemm.KC + 1, 2f, 1f, 3));
        // short and wide: a grid of one row of tasks, each packing its own columns of B (both layouts of B)
        cases.add(new Case(504, false, false, 40, 700, CpuGemm.KC + 30, 1f, 0.5f, 1));
        cases.add(new Case(505, true, true, 40, 700, CpuGemm.KC + 30, 1f, 0f, 2));
        return cases;
    }

    private static List<Case> smallCases() {
        int[][] shapes = {
            {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {1, 1, 300}, {6, 16, 1}, {7, 17, 5}, {13, 31, 29}, {12, 32, 256},
            {5, 40, 257}, {37, 3, 70}, {64, 25, 77}, {25, 100, 64}, {70, 33, 600}, {150, 49, 40},
        };
        float[][] alphaBeta = {{1f, 0f}, {1f, 1f}, {-0.5f, 2f}, {0.75f, -1f}};
        List<Case> cases = new ArrayList<>();
        long seed = 1;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                float[] ab = alphaBeta[(int) (seed % alphaBeta.length)];
                int pad = (int) (seed % 3) * 3;
                cases.add(new Case(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], ab[0], ab[1], pad));
            }
        }
        return cases;
    }

    @Test
    void matchesDoubleReferenceForAllTransposesShapesAndScalars() {
        CpuGemm gemm = new CpuGemm(two);
        for (Case cs : smallCases()) {
            cs.check(cs.run(gemm));
        }
    }

    @Test
    void largeBlockedShapesMatchReference() {
        // more than one k block (KC), one n block (NC) boundary, several row blocks (MC), ragged edges
        CpuGemm gemm = new CpuGemm(two);
        Case tall = new Case(101, false, false, 301, 70, 530, 1f, 0f, 1);
        tall.check(tall.run(gemm));
        Case wide = new Case(102, true, true, 9, CpuGemm.NC + 21, 40, 1.5f, 0.5f, 2);
        wide.check(wide.run(gemm));
        Case deep = new Case(103, false, true, 20, 18, 3 * CpuGemm.KC + 5, 1f, 1f, 0);
        deep.check(deep.run(gemm));
    }

    @Test
    void parallelProductPackedInDepthChunksMatchesOneThread() {
        // a packing limit of one k block per chunk: 3 chunks of KC and a ragged one, beta applied only once
        long limit = (long) (203 + 5 + 517 + 11) * CpuGemm.KC;
        CpuGemm chunked = new CpuGemm(two, VectorSupport.gemmKernel(), limit);
        CpuGemm serial = new CpuGemm(one);
        for (int t = 0; t < 4; t++) {
            Case cs = new Case(300 + t, (t & 1) != 0, (t & 2) != 0, 203, 517, 3 * CpuGemm.KC + 77, 1f,
                    t == 0 ? 0f : 0.5f, t);
            float[] got = cs.run(chunked);
            assertArrayEquals(cs.run(serial), got, cs + ": depth chunks vs 1 thread");
            cs.check(got);
        }
    }

    /**
     * The blocking (k blocks, row and column blocks, task grid, depth chunks) may only decide where partial
     * sums are stored between blocks, never how they are rounded: every element must be the single chain
     * {@code c = fma(alpha * a[i][p], b[p][j], c)} over increasing p from {@code beta * c} (0 when beta is 0).
     * Results that do not depend on the thread count rest on this.
     */
    @Test
    void everyElementIsOneFusedMultiplyAddChainInDepthOrder() {
        List<Case> cases = chainCases();
        List<CpuGemm> gemms = List.of(new CpuGemm(one), new CpuGemm(two), new CpuGemm(three),
                new CpuGemm(two, VectorSupport.gemmKernel(), 4096));
        String[] names = {"1 thread", "2 threads", "3 threads", "2 threads, depth chunks"};
        for (int g = 0; g < gemms.size(); g++) {
            CpuGemm gemm = gemms.get(g);
            for (Case cs : cases) {
                assertArrayEquals(fmaChains(cs), cs.run(gemm), cs + ", " + names[g]);
            }
        }
    }

    /**
     * B given as a {@link CpuGemm.PanelSource} (how the convolutions pack it from their images): the same single
     * fused multiply-add chain per element, on one, two and three threads and in depth chunks, for a row and a
     * column of C too, which B as stored sends to the vector products instead.
     */
    @Test
    void panelSourceIsTheSameChainAsStoredB() {
        List<Case> cases = new java.util.ArrayList<>(chainCases());
        cases.add(new Case(41, false, true, 1, 300, 70, 1f, 0f, 2));
        cases.add(new Case(42, true, false, 300, 1, 70, 0.5f, 1f, 1));
        List<CpuGemm> gemms = List.of(new CpuGemm(one), new CpuGemm(two), new CpuGemm(three),
                new CpuGemm(two, VectorSupport.gemmKernel(), 4096));
        for (CpuGemm gemm : gemms) {
            for (Case cs : cases) {
                float[] got = cs.c.clone();
                CpuGemm.PanelSource source = (j0, j1, p0, kc, dst, nr) ->
                        GemmPacking.packBBlock(cs.tb, cs.b, cs.bOff, cs.ldb, j0, j1, p0, kc, dst, nr);
                gemm.gemm(cs.ta, cs.m, cs.n, cs.k, cs.alpha, cs.a, cs.aOff, cs.lda, source, cs.beta, got, cs.cOff, cs.ldc);
                assertArrayEquals(fmaChains(cs), got, cs + ", panel source");
            }
        }
    }

    /** C as the single chain {@code c = fma(alpha * a[i][p], b[p][j], c)} per element, p increasing. */
    private static float[] fmaChains(Case cs) {
        float[] want = cs.c.clone();
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) {
                int at = cs.cOff + i * cs.ldc + j;
                float acc = cs.beta == 0f ? 0f : cs.beta * cs.c[at];
                for (int p = 0; p < cs.k; p++) {
                    acc = Math.fma(cs.alpha * cs.av(i, p), cs.bv(p, j), acc);
                }
                want[at] = acc;
            }
        }
        return want;
    }

    @Test
    void betaZeroOverwritesNaN() {
        Case cs = new Case(7, false, true, 13, 35, 20, 1f, 0f, 2);
        for (int i = 0; i < cs.m; i++) {
            java.util.Arrays.fill(cs.c, cs.cOff + i * cs.ldc, cs.cOff + i * cs.ldc + cs.n, Float.NaN);
        }
        float[] got = cs.run(new CpuGemm(two));
        cs.check(got);
        // k = 0 and alpha = 0 only scale C, and beta = 0 still clears NaN
        float[] zero = cs.c.clone();
        new CpuGemm(one).gemm(false, false, cs.m, cs.n, 0, 1f, cs.a, 0, 1, cs.b, 0, 1, 0f, zero, cs.cOff, cs.ldc);
        new CpuGemm(one).gemm(false, false, cs.m, cs.n, 4, 0f, cs.a, 0, 4, cs.b, 0, cs.n, 0f, zero, cs.cOff, cs.ldc);
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) {
                assertEquals(0f, zero[cs.cOff + i * cs.ldc + j]);
            }
        }
    }

    @Test
    void bitIdenticalForOneTwoAndThreeThreads() {
        CpuGemm g1 = new CpuGemm(one);
        CpuGemm g2 = new CpuGemm(two);
        CpuGemm g3 = new CpuGemm(three);
        List<Case> cases = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            cases.add(new Case(200 + t, (t & 1) != 0, (t & 2) != 0, 203, 517, 700, 1f, t == 0 ? 0f : 0.5f, t));
        }
        // a row and a column (matrix-vector path), big enough to be split over threads
        for (int t = 0; t < 4; t++) {
            cases.add(new Case(220 + t, (t & 1) != 0, (t & 2) != 0, 1, 6272, 200, 1f, 0.5f, t));
            cases.add(new Case(230 + t, (t & 1) != 0, (t & 2) != 0, 300, 1, 4000, -1f, 0f, t));
        }
        // dcgan-mnist shapes (batch 64): Linear 100 -> 12544 forward and conv 64 -> 128 filter gradient
        cases.add(new Case(210, false, true, 64, 12544, 100, 1f, 0f, 0));
        cases.add(new Case(211, false, true, 128, 1600, 3136, 1f, 1f, 0));
        for (Case cs : cases) {
            float[] r1 = cs.run(g1);
            assertArrayEquals(r1, cs.run(g2), cs + ": 1 vs 2 threads");
            assertArrayEquals(r1, cs.run(g3), cs + ": 1 vs 3 threads");
            assertArrayEquals(r1, cs.run(g2), cs + ": repeated run");
        }
        for (Case cs : cases.subList(0, cases.size() - 2)) {
            cs.check(cs.run(g3));
        }
    }

    /**
     * Every kernel, whatever its width, performs the same fused multiply-adds in the same order (GemmKernel's
     * contract), so a product gives the same bits on a machine with AVX-512, one with AVX2 only, and one without
     * the Vector API. A JVM runs one vector width (VectorWidth), so the build runs this class once more for each
     * width (gan-core's pom: -Dgan4j.vectorBits=256 and 512); the plain-Java kernel is built for both tile widths.
     */
    @Test
    void everyKernelComputesTheSameBits() {
        CpuGemm scalar = new CpuGemm(two, VectorSupport.scalarGemmKernel());
        assertEquals("scalar", scalar.kernel().name());
        List<CpuGemm> others = List.of(new CpuGemm(two), new CpuGemm(one), new CpuGemm(two, new ScalarGemmKernel(32)));
        List<Case> cases = smallCases();
        cases.add(new Case(300, true, false, 97, 203, 300, 1f, 0.25f, 1));
        cases.addAll(chainCases());
        for (Case cs : cases) {
            float[] s = cs.run(scalar);
            cs.check(s);
            for (CpuGemm other : others) {
                assertArrayEquals(s, cs.run(other), cs + ": " + other.kernel().name() + " (nr "
                        + other.kernel().nr() + ") vs scalar");
            }
        }
    }

    @Test
    void vectorWidthSettingIsCheckedAndHonoured() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> VectorSupport.checkBits("384"));
        assertTrue(e.getMessage().contains("gan4j.vectorBits=384") && e.getMessage().contains("256 or 512"),
                e.getMessage());
        assertEquals("256", VectorSupport.checkBits(" 256 "));
        assertEquals("", VectorSupport.checkBits(""));
        GemmKernel chosen = VectorSupport.gemmKernel();
        assumeTrue(chosen.name().startsWith("vector"), "no vector kernel in this JVM: " + chosen.name());
        String bits = VectorSupport.bitsSetting();
        int expected = bits.isEmpty() ? VectorWidth.species("").vectorBitSize() : Integer.parseInt(bits);
        assertEquals("vector-" + expected, chosen.name());
        assertEquals(2 * expected / Float.SIZE, chosen.nr());
    }

    @Test
    void vectorKernelChosenWhenModulePresentAndPropertyForcesFallback() {
        String old = System.getProperty(VectorSupport.PROPERTY);
        try {
            System.setProperty(VectorSupport.PROPERTY, "false");
            assertNotNull(VectorSupport.whyNotVector());
            System.clearProperty(VectorSupport.PROPERTY);
            assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                    "tests run without --add-modules=jdk.incubator.vector");
            assertNull(VectorSupport.whyNotVector());
            assertTrue(VectorSupport.gemmKernel().name().startsWith("vector"), VectorSupport.gemmKernel().name());
        } finally {
            if (old == null) {
                System.clearProperty(VectorSupport.PROPERTY);
            } else {
                System.setProperty(VectorSupport.PROPERTY, old);
            }
        }
    }

    @Test
    void batchedGemmThroughBackend() {
        CpuBackend backend = new CpuBackend(2);
        int batch = 3;
        int m = 9;
        int n = 21;
        int k = 14;
        SplittableRandom r = new SplittableRandom(400);
        float[] a = random(r, batch * k * m);      // each A stored k x m (transA)
        float[] b = random(r, batch * k * n);      // each B stored k x n
        float[] c = random(r, batch * m * n);
        Buffer ba = backend.upload(a, 0, a.length);
        Buffer bb = backend.upload(b, 0, b.length);
        Buffer bc = backend.upload(c, 0, c.length);
        backend.gemm(true, false, m, n, k, 2f, ba, m, (long) k * m, bb, n, (long) k * n, 0.5f, bc, n, (long) m * n, batch);
        float[] got = new float[c.length];
        backend.download(bc, got, 0);
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += (double) a[q * k * m + p * m + i] * b[q * k * n + p * n + j];
                    }
                    double want = 2 * sum + 0.5 * c[q * m * n + i * n + j];
                    assertEquals(want, got[q * m * n + i * n + j], 1e-4, "batch " + q + " C[" + i + "][" + j + "]");
                }
            }
        }
    }
}
