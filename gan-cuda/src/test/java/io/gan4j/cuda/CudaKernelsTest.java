package io.gan4j.cuda;

import static io.gan4j.cuda.CudaTestSupport.CPU;
import static io.gan4j.cuda.CudaTestSupport.assertClose;
import static io.gan4j.cuda.CudaTestSupport.cuda;
import static io.gan4j.cuda.CudaTestSupport.download;
import static io.gan4j.cuda.CudaTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;
import io.gan4j.cuda.CudaTestSupport.Path;

/** Our own kernels against the CPU backend on fresh random data (GPU only; skipped with the reason elsewhere). */
class CudaKernelsTest {
    private final long seed = System.nanoTime();
    private final Random rnd = new Random(seed);

    private CudaBackend gpu() {
        return cuda(Path.KERNELS_ONLY);
    }

    /** Runs {@code op} on both backends with the same inputs and compares its output buffer. */
    private void compare(String what, float[][] inputs, int outLength, BiConsumer<Backend, Buffer[]> op, double tol) {
        CudaBackend gpu = gpu();
        float[][] results = new float[2][];
        Backend[] backends = {CPU, gpu};
        for (int k = 0; k < 2; k++) {
            Backend b = backends[k];
            Buffer[] bufs = new Buffer[inputs.length + 1];
            for (int j = 0; j < inputs.length; j++) bufs[j] = b.upload(inputs[j], 0, inputs[j].length);
            bufs[inputs.length] = b.allocate(outLength);
            op.accept(b, bufs);
            results[k] = download(b, bufs[inputs.length]);
            for (Buffer buf : bufs) buf.close();
        }
        assertClose(what + " (seed " + seed + ")", results[1], results[0], tol);
    }

    private void compare(String what, float[][] inputs, int outLength, BiConsumer<Backend, Buffer[]> op) {
        compare(what, inputs, outLength, op, CudaTestSupport.TOL);
    }

    @Test
    void unaryOps() {
        float[] x = random(rnd, 10_007, 4f);
        float[] pos = new float[x.length];
        for (int i = 0; i < x.length; i++) pos[i] = Math.abs(x[i]) + 1e-3f;
        for (UnaryOp op : UnaryOp.values()) {
            float alpha = op == UnaryOp.POW_SCALAR ? 1.7f : 0.2f;
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR || op == UnaryOp.RECIPROCAL;
            compare("unary " + op, new float[][] {positive ? pos : x}, x.length, (b, s) -> b.unary(op, alpha, s[0], s[1]));
        }
    }

    @Test
    void binaryOpsWithBroadcasting() {
        int[] shape = {3, 5, 7, 11};
        float[] a = random(rnd, 3 * 5 * 7 * 11, 2f);
        float[] bRow = new float[5 * 11];   // b broadcast over axes 0 and 2
        for (int i = 0; i < bRow.length; i++) bRow[i] = 0.5f + rnd.nextFloat();
        long[] as = {385, 77, 11, 1};
        long[] bs = {0, 11, 0, 1};
        for (BinaryOp op : BinaryOp.values()) {
            float[] aa = op == BinaryOp.POW ? abs(a) : a;
            compare("binary " + op, new float[][] {aa, bRow}, a.length,
                    (b, s) -> b.binary(op, s[0], as, s[1], bs, s[2], shape));
        }
        // a transposed view (non-unit inner stride) against a scalar
        compare("binary strided", new float[][] {a, {3f}}, a.length,
                (b, s) -> b.binary(BinaryOp.MUL, s[0], new long[] {1, 3 * 5 * 7}, s[1], new long[] {0, 0}, s[2],
                        new int[] {3 * 5 * 7, 11}));
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.abs(a[i]) + 0.01f;
        return r;
    }

    @Test
    void permute() {
        int[] shape = {2, 3, 4, 5, 6};
        int[] perm = {4, 2, 0, 3, 1};
        float[] x = random(rnd, 720, 1f);
        compare("permute", new float[][] {x}, 720, (b, s) -> b.permute(s[0], shape, perm, s[1]));
    }

    @Test
    void reductions() {
        for (ReduceOp op : ReduceOp.values()) {
            for (int[] d : new int[][] {{37, 1000, 1}, {1, 100_003, 1}, {5, 64, 49}, {3, 7, 1000}}) {
                float[] x = random(rnd, d[0] * d[1] * d[2], 1f);
                compare("reduce " + op + " " + java.util.Arrays.toString(d), new float[][] {x}, d[0] * d[2],
                        (b, s) -> b.reduce(op, s[0], d[0], d[1], d[2], s[1]));
            }
        }
    }

    @Test
    void resampling() {
        float[] x = random(rnd, 6 * 5 * 7, 1f);
        compare("upsample", new float[][] {x}, 6 * 10 * 21, (b, s) -> b.upsampleNearest(6, 5, 7, 2, 3, s[0], s[1]));
        float[] dy = random(rnd, 6 * 10 * 21, 1f);
        compare("upsample backward", new float[][] {dy}, 6 * 5 * 7,
                (b, s) -> b.upsampleNearestBackward(6, 5, 7, 2, 3, s[0], s[1]));
        float[] small = random(rnd, 2 * 3 * 4 * 5 * 6, 1f);   // [2, 3*2*2, 5, 6] with c = 3, r = 2
        for (boolean inverse : new boolean[] {false, true}) {
            compare("pixel shuffle inverse=" + inverse, new float[][] {small}, small.length,
                    (b, s) -> b.pixelShuffle(2, 3, 5, 6, 2, inverse, s[0], s[1]));
        }
    }

    @Test
    void randomNumbersAreTheCpuBackendsBitForBit() {
        CudaBackend gpu = gpu();
        long s = rnd.nextLong();
        long offset = rnd.nextInt(1 << 20);
        int n = 100_003;
        for (int kind = 0; kind < 3; kind++) {
            float[][] r = new float[2][];
            Backend[] backends = {CPU, gpu};
            for (int k = 0; k < 2; k++) {
                try (Buffer y = backends[k].allocate(n)) {
                    switch (kind) {
                        case 0 -> backends[k].randomUniform(y, -2f, 3f, s, offset);
                        case 1 -> backends[k].randomBernoulli(y, 0.3f, s, offset);
                        default -> backends[k].randomNormal(y, 0.5f, 0.02f, s, offset);
                    }
                    r[k] = download(backends[k], y);
                }
            }
            if (kind < 2) {
                assertArrayEquals(r[0], r[1], "uniform/bernoulli are exact (seed " + s + ")");
            } else {
                // Box-Muller in double; GPU and JVM log/cos may differ in the last double bit: compare in float
                assertClose("normal", r[1], r[0], 1e-6);
                int same = 0;
                for (int i = 0; i < n; i++) same += r[0][i] == r[1][i] ? 1 : 0;
                System.out.println("[cuda-test] normal: " + same + " of " + n + " bit-identical to the cpu backend");
            }
        }
    }

    @Test
    void adamMatchesCpuAdam() {
        int n = 50_001;
        float[] p = random(rnd, n, 1f);
        float[] g = random(rnd, n, 0.1f);
        float[] m = random(rnd, n, 0.01f);
        float[] v = abs(random(rnd, n, 0.001f));
        for (boolean decoupled : new boolean[] {false, true}) {
            for (float wd : new float[] {0f, 0.01f}) {
                float[][] out = new float[2][];
                Backend[] backends = {CPU, gpu()};
                for (int k = 0; k < 2; k++) {
                    Buffer bp = backends[k].upload(p, 0, n);
                    Buffer bg = backends[k].upload(g, 0, n);
                    Buffer bm = backends[k].upload(m, 0, n);
                    Buffer bv = backends[k].upload(v, 0, n);
                    backends[k].adamStep(bp, bg, bm, bv, 2e-4f, 0.5f, 0.999f, 1e-8f, wd, decoupled, 7);
                    float[] all = new float[3 * n];
                    backends[k].download(bp, all, 0);
                    backends[k].download(bm, all, n);
                    backends[k].download(bv, all, 2 * n);
                    out[k] = all;
                    bp.close();
                    bg.close();
                    bm.close();
                    bv.close();
                }
                assertClose("adam p/m/v decoupled=" + decoupled + " wd=" + wd + " (seed " + seed + ")", out[1], out[0]);
            }
        }
    }

    @Test
    void batchNorm() {
        int n = 8, c = 16, sp = 49;
        float[] x = random(rnd, n * c * sp, 3f);
        float[] gamma = random(rnd, c, 1f);
        float[] beta = random(rnd, c, 1f);
        float[] rm = random(rnd, c, 0.1f);
        float[] rv = abs(random(rnd, c, 1f));
        float[] dy = random(rnd, n * c * sp, 1f);
        // training forward: y, saveMean, saveInvStd, running stats, packed in one output
        int len = n * c * sp;
        compare("bn forward training", new float[][] {x, gamma, beta, rm, rv}, len + 4 * c, (b, s) -> {
            try (Buffer y = b.allocate(len); Buffer sm = b.allocate(c); Buffer si = b.allocate(c)) {
                b.batchNormForwardTraining(n, c, sp, s[0], s[1], s[2], s[3], s[4], 0.1f, 1e-5f, y, sm, si);
                b.copy(y, 0, s[5], 0, len);
                b.copy(sm, 0, s[5], len, c);
                b.copy(si, 0, s[5], len + c, c);
                b.copy(s[3], 0, s[5], len + 2 * c, c);
                b.copy(s[4], 0, s[5], len + 3 * c, c);
            }
        });
        compare("bn forward inference", new float[][] {x, gamma, beta, rm, rv}, len,
                (b, s) -> b.batchNormForwardInference(n, c, sp, s[0], s[1], s[2], s[3], s[4], 1e-5f, s[5]));
        compare("bn backward", new float[][] {x, dy, gamma}, len + 2 * c, (b, s) -> {
            try (Buffer y = b.allocate(len); Buffer sm = b.allocate(c); Buffer si = b.allocate(c);
                 Buffer dx = b.allocate(len); Buffer dg = b.allocate(c); Buffer db = b.allocate(c);
                 Buffer bt = b.allocate(c)) {
                b.batchNormForwardTraining(n, c, sp, s[0], s[2], bt, null, null, 0.1f, 1e-5f, y, sm, si);
                b.batchNormBackward(n, c, sp, s[0], s[1], s[2], sm, si, dx, dg, db);
                b.copy(dx, 0, s[3], 0, len);
                b.copy(dg, 0, s[3], len, c);
                b.copy(db, 0, s[3], len + c, c);
            }
        });
    }

    @Test
    void bceLeakyReluAndPreluAgainstTheirFormulas() {
        CudaBackend gpu = gpu();
        int n = 4, c = 3, sp = 25, len = n * c * sp;
        float[] x = random(rnd, len, 30f);   // large logits: the stable formula must not overflow
        float[] t = new float[len];
        for (int i = 0; i < len; i++) t[i] = rnd.nextBoolean() ? 1f : 0f;
        float[] dy = random(rnd, len, 1f);
        float[] a = {0.25f, -0.1f, 0.7f};
        float[] loss = new float[len], dbce = new float[len], lr = new float[len], dlr = new float[len];
        float[] pr = new float[len], dpr = new float[len], da = new float[c];
        double[] daAcc = new double[c];
        for (int i = 0; i < len; i++) {
            double v = x[i];
            loss[i] = (float) (Math.max(v, 0) - v * t[i] + Math.log1p(Math.exp(-Math.abs(v))));
            dbce[i] = 0.5f * ((float) (1 / (1 + Math.exp(-v))) - t[i]);
            lr[i] = x[i] > 0 ? x[i] : 0.2f * x[i];
            dlr[i] = dy[i] * (x[i] > 0 ? 1f : 0.2f);
            int ch = (i / sp) % c;
            pr[i] = x[i] > 0 ? x[i] : a[ch] * x[i];
            dpr[i] = dy[i] * (x[i] > 0 ? 1f : a[ch]);
            if (!(x[i] > 0)) daAcc[ch] += dy[i] * x[i];
        }
        for (int ch = 0; ch < c; ch++) da[ch] = (float) daAcc[ch];
        try (Buffer bx = gpu.upload(x, 0, len); Buffer bt = gpu.upload(t, 0, len); Buffer bdy = gpu.upload(dy, 0, len);
             Buffer ba = gpu.upload(a, 0, c); Buffer o1 = gpu.allocate(len); Buffer o2 = gpu.allocate(len);
             Buffer oa = gpu.allocate(c)) {
            gpu.bceWithLogits(bx, bt, o1);
            assertClose("bce with logits", download(gpu, o1), loss);
            gpu.bceWithLogitsBackward(bx, bt, 0.5f, o1);
            assertClose("bce with logits backward", download(gpu, o1), dbce);
            gpu.leakyRelu(bx, 0.2f, o1);
            assertClose("leaky relu", download(gpu, o1), lr);
            gpu.leakyReluBackward(bx, bdy, 0.2f, o1);
            assertClose("leaky relu backward", download(gpu, o1), dlr);
            gpu.prelu(n, c, sp, bx, ba, o1);
            assertClose("prelu", download(gpu, o1), pr);
            gpu.preluBackward(n, c, sp, bx, ba, bdy, o2, oa);
            assertClose("prelu backward data", download(gpu, o2), dpr);
            assertClose("prelu backward alpha", download(gpu, oa), da);
        }
    }

    @Test
    void memoryIsFlatOverRepeatedSteps() {
        CudaBackend gpu = gpu();
        long before = gpu.bytesInUse();
        long mallocs = -1;
        for (int step = 0; step < 200; step++) {
            try (Buffer a = gpu.allocate(12345); Buffer b = gpu.allocate(1 << 20); Buffer c = gpu.allocate(777)) {
                gpu.unary(UnaryOp.EXP, 0f, c, c);
                gpu.fill(b, 1f);
            }
            if (step == 0) mallocs = gpu.deviceMallocs();
        }
        assertEquals(before, gpu.bytesInUse());
        assertEquals(mallocs, gpu.deviceMallocs(), "no cuMemAlloc after the first step");
    }
}
