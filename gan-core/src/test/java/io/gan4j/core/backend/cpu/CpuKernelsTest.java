package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPU kernels against naive double-precision references written from the papers' and PyTorch's definitions. */
class CpuKernelsTest {
    private static final CpuBackend BE = new CpuBackend(2);

    @AfterAll
    static void close() {
        BE.close();
    }

    private static float[] gaussian(long seed, int n, double mean, double std) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // sum of uniforms is close enough to normal for test data
            double s = 0;
            for (int k = 0; k < 12; k++) {
                s += r.nextDouble();
            }
            v[i] = (float) (mean + std * (s - 6));
        }
        return v;
    }

    private static Buffer up(float[] v) {
        return BE.upload(v, 0, v.length);
    }

    private static float[] down(Buffer b) {
        float[] v = new float[(int) b.length()];
        BE.download(b, v, 0);
        return v;
    }

    // ---------------------------------------------------------------- batch norm

    /** PyTorch's BatchNorm in double: [0] y, [1] mean, [2] biased var, [3] new running mean, [4] new running var. */
    private static double[][] naiveBatchNorm(float[] x, int n, int c, int spatial, float[] gamma, float[] beta,
                                             float[] rm, float[] rv, double momentum, double eps) {
        double[] y = new double[x.length];
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] nrm = new double[c];
        double[] nrv = new double[c];
        int count = n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < spatial; j++) {
                    s += x[(i * c + ch) * spatial + j];
                }
            }
            mean[ch] = s / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < spatial; j++) {
                    double d = x[(i * c + ch) * spatial + j] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / count;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < spatial; j++) {
                    int k = (i * c + ch) * spatial + j;
                    y[k] = (x[k] - mean[ch]) / Math.sqrt(var[ch] + eps) * gamma[ch] + beta[ch];
                }
            }
            nrm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
            nrv[ch] = (1 - momentum) * rv[ch] + momentum * sq / (count - 1);
        }
        return new double[][] {y, mean, var, nrm, nrv};
    }

    private static void assertClose(double[] expected, float[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], atol + rtol * Math.abs(expected[i]), what + "[" + i + "]");
        }
    }

    @Test
    void batchNormTrainingMatchesPyTorchsDefinition() {
        int[][] shapes = {{4, 3, 5}, {1, 2, 7}, {7, 5, 1}, {2, 4, 36}};
        long seed = 1;
        for (int[] s : shapes) {
            int n = s[0];
            int c = s[1];
            int sp = s[2];
            // a large mean next to the spread: the normalisation must not cancel catastrophically
            float[] x = gaussian(seed++, n * c * sp, 1000, 0.1);
            float[] gamma = gaussian(seed++, c, 1, 0.3);
            float[] beta = gaussian(seed++, c, 0, 1);
            float[] rm = gaussian(seed++, c, 0, 1);
            float[] rv = gaussian(seed++, c, 2, 0.3);
            double[][] ref = naiveBatchNorm(x, n, c, sp, gamma, beta, rm, rv, 0.1, 1e-5);
            Buffer y = BE.allocate(x.length);
            Buffer saveMean = BE.allocate(c);
            Buffer saveInvStd = BE.allocate(c);
            Buffer bRm = up(rm);
            Buffer bRv = up(rv);
            BE.batchNormForwardTraining(n, c, sp, up(x), up(gamma), up(beta), bRm, bRv, 0.1f, 1e-5f, y, saveMean,
                    saveInvStd);
            String what = "batch norm " + java.util.Arrays.toString(s);
            assertClose(ref[0], down(y), 1e-5, 1e-5, what + " y");
            assertClose(ref[1], down(saveMean), 0, 1e-6, what + " mean");
            double[] invStd = new double[c];
            for (int ch = 0; ch < c; ch++) {
                invStd[ch] = 1 / Math.sqrt(ref[2][ch] + 1e-5);
            }
            assertClose(invStd, down(saveInvStd), 0, 1e-4, what + " invStd");
            assertClose(ref[3], down(bRm), 1e-6, 1e-6, what + " running mean (momentum 0.1)");
            assertClose(ref[4], down(bRv), 1e-6, 1e-5, what + " running var (unbiased)");
        }
    }

    @Test
    void batchNormRunningStatsConvergeToTheDataStatistics() {
        int n = 6;
        int c = 2;
        int sp = 5;
        float[] x = gaussian(40, n * c * sp, -2, 3);
        Buffer bx = up(x);
        Buffer rm = up(new float[] {0, 0});
        Buffer rv = up(new float[] {1, 1});
        double[][] ref = naiveBatchNorm(x, n, c, sp, new float[] {1, 1}, new float[] {0, 0}, new float[2],
                new float[2], 1, 0);
        for (int step = 0; step < 200; step++) {
            BE.batchNormForwardTraining(n, c, sp, bx, up(new float[] {1, 1}), up(new float[] {0, 0}), rm, rv, 0.1f,
                    1e-5f, BE.allocate(x.length), BE.allocate(c), BE.allocate(c));
        }
        assertClose(ref[3], down(rm), 1e-4, 1e-4, "running mean -> batch mean");
        assertClose(ref[4], down(rv), 1e-4, 1e-4, "running var -> unbiased batch var");
    }

    @Test
    void batchNormInferenceUsesTheRunningStatistics() {
        int n = 3;
        int c = 4;
        int sp = 6;
        float[] x = gaussian(50, n * c * sp, 1, 2);
        float[] gamma = gaussian(51, c, 1, 0.3);
        float[] beta = gaussian(52, c, 0, 1);
        float[] rm = gaussian(53, c, 100, 1);
        float[] rv = gaussian(54, c, 2, 0.3);
        Buffer y = BE.allocate(x.length);
        BE.batchNormForwardInference(n, c, sp, up(x), up(gamma), up(beta), up(rm), up(rv), 1e-5f, y);
        double[] ref = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / sp) % c;
            ref[i] = (x[i] - rm[ch]) / Math.sqrt(rv[ch] + 1e-5) * gamma[ch] + beta[ch];
        }
        assertClose(ref, down(y), 1e-4, 1e-5, "batch norm inference");
    }

    @Test
    void batchNormBackwardMatchesTheClosedForm() {
        int n = 3;
        int c = 2;
        int sp = 4;
        int count = n * sp;
        float[] x = gaussian(60, n * c * sp, 1, 2);
        float[] dy = gaussian(61, x.length, 0, 1);
        float[] gamma = {0.7f, -1.3f};
        Buffer bx = up(x);
        Buffer saveMean = BE.allocate(c);
        Buffer saveInvStd = BE.allocate(c);
        BE.batchNormForwardTraining(n, c, sp, bx, up(gamma), up(new float[2]), null, null, 0.1f, 1e-5f,
                BE.allocate(x.length), saveMean, saveInvStd);
        Buffer dx = BE.allocate(x.length);
        Buffer dg = BE.allocate(c);
        Buffer db = BE.allocate(c);
        BE.batchNormBackward(n, c, sp, bx, up(dy), up(gamma), saveMean, saveInvStd, dx, dg, db);
        double[][] ref = naiveBatchNorm(x, n, c, sp, new float[] {1, 1}, new float[2], new float[2], new float[2], 0,
                1e-5);
        double[] refDx = new double[x.length];
        double[] refDg = new double[c];
        double[] refDb = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double invStd = 1 / Math.sqrt(ref[2][ch] + 1e-5);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    int k = (i * c + ch) * sp + j;
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * ref[0][k];
                }
            }
            refDg[ch] = sumDyXhat;
            refDb[ch] = sumDy;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < sp; j++) {
                    int k = (i * c + ch) * sp + j;
                    refDx[k] = gamma[ch] * invStd / count * (count * dy[k] - sumDy - ref[0][k] * sumDyXhat);
                }
            }
        }
        assertClose(refDx, down(dx), 1e-5, 1e-4, "dx");
        assertClose(refDg, down(dg), 1e-5, 1e-5, "dgamma");
        assertClose(refDb, down(db), 1e-5, 1e-5, "dbeta");
    }

    // ---------------------------------------------------------------- Adam

    /** Textbook Adam (Kingma & Ba, Algorithm 1) in double, with torch's L2 or AdamW's decoupled decay. */
    private static double[] naiveAdam(double p0, double[] grads, double lr, double b1, double b2, double eps,
                                      double wd, boolean decoupled) {
        double p = p0;
        double m = 0;
        double v = 0;
        double[] trace = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            if (decoupled) {
                p -= lr * wd * p;
            } else {
                g += wd * p;
            }
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = v / (1 - Math.pow(b2, t));
            p -= lr * mHat / (Math.sqrt(vHat) + eps);
            trace[t - 1] = p;
        }
        return trace;
    }

    private static void checkAdam(float wd, boolean decoupled) {
        int n = 5;
        int steps = 4;
        float[] p0 = {0.5f, -1.2f, 3f, 0.01f, -0.3f};
        float[][] grads = new float[steps][];
        for (int t = 0; t < steps; t++) {
            grads[t] = gaussian(70 + t, n, 0, 1 + t);
        }
        float lr = 2e-4f;
        float b1 = 0.5f;
        float b2 = 0.999f;
        float eps = 1e-8f;
        Buffer p = up(p0);
        Buffer m = BE.allocate(n);
        Buffer v = BE.allocate(n);
        float[][] got = new float[steps][];
        for (int t = 0; t < steps; t++) {
            BE.adamStep(p, up(grads[t]), m, v, lr, b1, b2, eps, wd, decoupled, t + 1);
            got[t] = down(p);
        }
        for (int i = 0; i < n; i++) {
            double[] g = new double[steps];
            for (int t = 0; t < steps; t++) {
                g[t] = grads[t][i];
            }
            double[] ref = naiveAdam(p0[i], g, lr, b1, b2, eps, wd, decoupled);
            for (int t = 0; t < steps; t++) {
                // the update is ~lr per step: compare the step taken, not the absolute value
                assertEquals(ref[t] - p0[i], got[t][i] - p0[i], 1e-3 * lr * (t + 1) + Math.ulp(p0[i]) * 2,
                        "wd=" + wd + " decoupled=" + decoupled + " element " + i + " step " + (t + 1));
            }
        }
    }

    @Test
    void adamFirstStepsMatchTheClosedForm() {
        // step 1 of Adam with bias correction moves each weight by lr * sign(g) (|g| >> eps)
        Buffer p = up(new float[] {1f, 1f});
        BE.adamStep(p, up(new float[] {0.3f, -50f}), BE.allocate(2), BE.allocate(2), 0.01f, 0.9f, 0.999f, 1e-8f, 0f,
                false, 1);
        assertArrayEquals(new float[] {0.99f, 1.01f}, down(p), 1e-6f);
        checkAdam(0f, false);
    }

    @Test
    void adamWithL2AndAdamWWithDecoupledDecay() {
        checkAdam(0.1f, false);
        checkAdam(0.1f, true);
        // AdamW with a zero gradient: only the decay acts at step 1 (m = 0)
        Buffer p = up(new float[] {2f});
        BE.adamStep(p, up(new float[] {0f}), BE.allocate(1), BE.allocate(1), 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, true, 1);
        assertEquals(2f * (1 - 0.1f * 0.5f), down(p)[0], 1e-6f);
    }

    // ---------------------------------------------------------------- Philox

    @Test
    void axpbyIsTheDefaultsThreePassesInOne() {
        int n = 100_003; // several chunks, and an odd tail
        float[] x = gaussian(31, n + 5, 0, 1);
        float[] y = gaussian(32, n, 0, 1);
        float a = 0.0009994f;
        float b = 1 - a;
        Buffer xb = BE.upload(x, 0, n + 5).view(5, n);
        Buffer fused = BE.upload(y, 0, n);
        BE.axpby(a, xb, b, fused);
        // the interface's default, run by a proxy that passes every other call to the CPU backend
        io.gan4j.core.backend.Backend plain = (io.gan4j.core.backend.Backend) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.gan4j.core.backend.Backend.class},
                (proxy, method, args) -> method.getName().equals("axpby")
                        ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                        : method.invoke(BE, args));
        Buffer threePasses = BE.upload(y, 0, n);
        plain.axpby(a, xb, b, threePasses);
        float[] f = new float[n];
        float[] t = new float[n];
        BE.download(fused, f, 0);
        BE.download(threePasses, t, 0);
        assertArrayEquals(t, f, "bit-identical to the default");
        assertEquals(a * x[5 + 7] + b * y[7], f[7], 0f);
        assertThrowsIllegal(() -> BE.axpby(a, BE.allocate(3), b, BE.allocate(4)));
    }

    private static void assertThrowsIllegal(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }

    @Test
    void philoxKnownAnswersFromRandom123() {
        // Random123 tests/kat_vectors, "philox4x32 10": counter[4] key[2] -> result[4]
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                Philox.philox4x32(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.philox4x32(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.philox4x32(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                        new int[] {0xa4093822, 0x299f31d0}));
        // element i of stream (seed, offset) is the block at counter offset + i, key seed
        assertEquals(0xe169c58d_6627e8d5L, Philox.block(0, 0));
        long seed = 0x299f31d0_a4093822L;
        long index = 0x85a308d3_243f6a88L;
        int[] w = Philox.philox4x32(new int[] {(int) index, (int) (index >>> 32), 0, 0},
                new int[] {(int) seed, (int) (seed >>> 32)});
        assertEquals((w[0] & 0xFFFFFFFFL) | ((long) w[1] << 32), Philox.block(seed, index));
        assertEquals(w[0], Philox.bits(seed, index));
        // block() has its own allocation-free copy of the rounds: the same function everywhere
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            long s = rnd.nextLong();
            long c = rnd.nextLong();
            int[] v = Philox.philox4x32(new int[] {(int) c, (int) (c >>> 32), 0, 0}, new int[] {(int) s, (int) (s >>> 32)});
            assertEquals((v[0] & 0xFFFFFFFFL) | ((long) v[1] << 32), Philox.block(s, c));
        }
    }

    private static float[] draw(CpuBackend be, String kind, int n, long seed, long offset) {
        Buffer b = be.allocate(n);
        switch (kind) {
            case "normal": be.randomNormal(b, 0f, 1f, seed, offset); break;
            case "uniform": be.randomUniform(b, 0f, 1f, seed, offset); break;
            default: be.randomBernoulli(b, 0.3f, seed, offset);
        }
        float[] v = new float[n];
        be.download(b, v, 0);
        return v;
    }

    private static double[] moments(float[] v) {
        double s = 0;
        double s2 = 0;
        double lag = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            s2 += (double) v[i] * v[i];
            if (i > 0) {
                lag += (double) v[i] * v[i - 1];
            }
        }
        double mean = s / v.length;
        double var = s2 / v.length - mean * mean;
        double corr = (lag / (v.length - 1) - mean * mean) / var;
        return new double[] {mean, Math.sqrt(var), corr};
    }

    @Test
    void philoxStatistics() {
        int n = 100_000;
        // standard errors at 1e5 samples: mean ~ sigma / 316; tolerances are ~5 of them
        double[] normal = moments(draw(BE, "normal", n, 42, 0));
        assertEquals(0, normal[0], 0.016, "normal mean");
        assertEquals(1, normal[1], 0.012, "normal std");
        assertEquals(0, normal[2], 0.016, "normal lag-1 correlation");
        float[] nv = draw(BE, "normal", n, 42, 0);
        int beyond2 = 0;
        for (float x : nv) {
            if (Math.abs(x) > 2) {
                beyond2++;
            }
        }
        assertEquals(0.0455, beyond2 / (double) n, 0.004, "normal tails: P(|z| > 2)");
        double[] uniform = moments(draw(BE, "uniform", n, 43, 0));
        assertEquals(0.5, uniform[0], 0.005, "uniform mean");
        assertEquals(Math.sqrt(1 / 12.0), uniform[1], 0.004, "uniform std");
        assertEquals(0, uniform[2], 0.016, "uniform lag-1 correlation");
        float[] u = draw(BE, "uniform", n, 43, 0);
        int[] bins = new int[10];
        for (float x : u) {
            assertTrue(x >= 0f && x < 1f);
            bins[(int) (x * 10)]++;
        }
        for (int b : bins) {
            assertEquals(n / 10.0, b, 5 * Math.sqrt(n * 0.1 * 0.9), "uniform histogram");
        }
        double[] bern = moments(draw(BE, "bernoulli", n, 44, 0));
        assertEquals(0.3, bern[0], 0.008, "bernoulli mean");
        assertEquals(Math.sqrt(0.21), bern[1], 0.006, "bernoulli std");
        // different seeds are different streams, and so are disjoint offsets of one stream
        float[] a = draw(BE, "normal", 1000, 1, 0);
        float[] b = draw(BE, "normal", 1000, 2, 0);
        float[] c = draw(BE, "normal", 1000, 1, 1000);
        double ab = 0;
        double ac = 0;
        for (int i = 0; i < 1000; i++) {
            ab += a[i] * b[i];
            ac += a[i] * c[i];
        }
        assertEquals(0, ab / 1000, 0.15);
        assertEquals(0, ac / 1000, 0.15);
    }

    @Test
    void randomNumbersDependOnlyOnSeedAndIndex() {
        int n = 50_000;
        for (String kind : new String[] {"normal", "uniform", "bernoulli"}) {
            float[] ref = draw(BE, kind, n, 7, 123);
            for (int threads = 1; threads <= 3; threads++) {
                try (CpuBackend be = new CpuBackend(threads)) {
                    assertArrayEquals(ref, draw(be, kind, n, 7, 123), kind + " with " + threads + " threads");
                }
            }
            // a window of the stream equals the same window drawn on its own
            float[] window = draw(BE, kind, 1000, 7, 123 + 20_000);
            assertArrayEquals(java.util.Arrays.copyOfRange(ref, 20_000, 21_000), window, kind + " window");
        }
        // and into a view (an offset into a larger buffer)
        Buffer big = BE.allocate(100);
        BE.randomNormal(big.view(10, 50), 0f, 1f, 7, 123);
        float[] all = down(big);
        assertArrayEquals(java.util.Arrays.copyOfRange(draw(BE, "normal", 50, 7, 123), 0, 50),
                java.util.Arrays.copyOfRange(all, 10, 60));
        assertEquals(0f, all[9]);
        assertEquals(0f, all[60]);
    }

    @Test
    void uniformAndNormalScaling() {
        Buffer b = BE.allocate(10_000);
        BE.randomUniform(b, -3f, -1f, 5, 0);
        for (float x : down(b)) {
            assertTrue(x >= -3f && x < -1f, "in [-3, -1): " + x);
        }
        BE.randomNormal(b, 5f, 0.5f, 5, 0);
        double[] m = moments(down(b));
        assertEquals(5, m[0], 0.03);
        assertEquals(0.5, m[1], 0.02);
        BE.randomBernoulli(b, 0f, 5, 0);
        for (float x : down(b)) {
            assertEquals(0f, x);
        }
        BE.randomBernoulli(b, 1f, 5, 0);
        for (float x : down(b)) {
            assertEquals(1f, x);
        }
    }

    // ---------------------------------------------------------------- resampling

    @Test
    void upsampleNearestAgainstTheIndexFormula() {
        int planes = 3;
        int h = 3;
        int w = 5;
        for (int[] f : new int[][] {{2, 2}, {3, 1}, {1, 4}}) {
            float[] x = gaussian(80, planes * h * w, 0, 1);
            Buffer y = BE.allocate((long) planes * h * f[0] * w * f[1]);
            BE.upsampleNearest(planes, h, w, f[0], f[1], up(x), y);
            float[] yv = down(y);
            int oh = h * f[0];
            int ow = w * f[1];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        assertEquals(x[(p * h + i / f[0]) * w + j / f[1]], yv[(p * oh + i) * ow + j]);
                    }
                }
            }
            // backward: each input pixel receives the sum of its copies
            float[] dy = gaussian(81, yv.length, 0, 1);
            Buffer dx = BE.allocate(x.length);
            BE.upsampleNearestBackward(planes, h, w, f[0], f[1], up(dy), dx);
            double[] ref = new double[x.length];
            for (int p = 0; p < planes; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        ref[(p * h + i / f[0]) * w + j / f[1]] += dy[(p * oh + i) * ow + j];
                    }
                }
            }
            assertClose(ref, down(dx), 1e-5, 1e-5, "upsample backward");
        }
    }

    @Test
    void pixelShuffleAgainstTheIndexFormula() {
        int n = 2;
        int c = 3;
        int h = 2;
        int w = 3;
        for (int r : new int[] {1, 2, 3}) {
            float[] x = gaussian(90 + r, n * c * r * r * h * w, 0, 1);
            Buffer y = BE.allocate(x.length);
            BE.pixelShuffle(n, c, h, w, r, false, up(x), y);
            float[] yv = down(y);
            // torch.pixel_shuffle: out[b][ch][i*r + a][j*r + d] = in[b][ch*r*r + a*r + d][i][j]
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            for (int a = 0; a < r; a++) {
                                for (int d = 0; d < r; d++) {
                                    float in = x[((b * c * r * r + ch * r * r + a * r + d) * h + i) * w + j];
                                    float out = yv[((b * c + ch) * h * r + i * r + a) * w * r + j * r + d];
                                    assertEquals(in, out);
                                }
                            }
                        }
                    }
                }
            }
            Buffer back = BE.allocate(x.length);
            BE.pixelShuffle(n, c, h, w, r, true, y, back);
            assertArrayEquals(x, down(back), "unshuffle inverts shuffle");
        }
    }
}
