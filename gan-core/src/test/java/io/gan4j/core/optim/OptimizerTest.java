package io.gan4j.core.optim;

import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerTest {
    private static final float[] P0 = {0.5f, -1.5f, 2.0f, 0.0f, -0.25f, 3.0f};
    private static final int STEPS = 25;

    /** A fixed sequence of gradients (same ones for the optimizer and the double reference). */
    private static float[][] gradients(long seed, int steps) {
        Generator gen = new Generator(seed);
        float[][] g = new float[steps][];
        for (int t = 0; t < steps; t++) {
            g[t] = Tensor.randn(gen, P0.length).toArray();
        }
        return g;
    }

    private static void setGrad(Tensor p, float[] g) {
        p.setGrad(Tensor.of(g, g.length));
    }

    /** torch.optim.Adam / AdamW (one element, in double), as documented for PyTorch 2.x. */
    private static double[] referenceAdam(double lr, double b1, double b2, double eps, double wd,
                                          boolean decoupled, float[][] grads) {
        double[] p = new double[P0.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = P0[i];
        }
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= grads.length; t++) {
            for (int i = 0; i < p.length; i++) {
                double gi = grads[t - 1][i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    gi += wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double bc1 = 1 - Math.pow(b1, t);
                double bc2 = 1 - Math.pow(b2, t);
                p[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
        }
        return p;
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    @Test
    void adamFirstStepIsLrTimesTheSignOfTheGradient() {
        // t = 1: m^ = g, v^ = g^2, so the step is -lr * g / (|g| + eps): lr * sign(g) up to eps / |g|
        float[] g = {0.3f, -2f, 1e-3f, -5e-2f, 7f, -1f};
        Tensor p = Tensor.of(P0.clone(), P0.length);
        Adam adam = new Adam(List.of(p), Adam.Config.defaults().withLr(0.1f));
        setGrad(p, g);
        adam.step();
        float[] after = p.toArray();
        for (int i = 0; i < g.length; i++) {
            double expected = P0[i] - 0.1 * g[i] / (Math.abs(g[i]) + 1e-8);
            assertEquals(expected, after[i], 1e-6, "element " + i);
        }
        // with a constant gradient every later step is the same size too: m^ = g and v^ = g^2 exactly
        adam.step();
        for (int i = 0; i < g.length; i++) {
            assertEquals(P0[i] - 0.2 * Math.signum(g[i]), p.toArray()[i], 1e-5, "element " + i);
        }
    }

    @Test
    void adamMatchesTorchFormulasOverManySteps() {
        float[][] grads = gradients(1, STEPS);
        for (float wd : new float[] {0f, 0.1f}) {
            Tensor p = Tensor.of(P0.clone(), P0.length);
            Adam adam = new Adam(Map.of("w", p), new Adam.Config(0.01f, 0.5f, 0.999f, 1e-8f, wd));
            for (float[] g : grads) {
                setGrad(p, g);
                adam.step();
            }
            assertClose(referenceAdam(0.01, 0.5, 0.999, 1e-8, wd, false, grads), p.toArray(), 1e-5,
                    "Adam wd=" + wd);
        }
    }

    @Test
    void adamWDecouplesTheWeightDecay() {
        float[][] grads = gradients(2, STEPS);
        Tensor p = Tensor.of(P0.clone(), P0.length);
        Tensor q = Tensor.of(P0.clone(), P0.length);
        AdamW adamW = new AdamW(List.of(p), AdamW.defaults().withLr(0.01f).withWeightDecay(0.1f));
        Adam adamL2 = new Adam(List.of(q), Adam.Config.defaults().withLr(0.01f).withWeightDecay(0.1f));
        for (float[] g : grads) {
            setGrad(p, g);
            setGrad(q, g);
            adamW.step();
            adamL2.step();
        }
        assertClose(referenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, true, grads), p.toArray(), 1e-5, "AdamW");
        assertClose(referenceAdam(0.01, 0.9, 0.999, 1e-8, 0.1, false, grads), q.toArray(), 1e-5, "Adam+L2");
        assertNotEquals(p.toArray()[5], q.toArray()[5], 1e-4, "decoupled decay differs from L2 decay");
        assertEquals(1e-2f, AdamW.defaults().weightDecay());
    }

    @Test
    void sgdMomentumMatchesItsClosedForm() {
        // constant g: buf_t = g (1 - mu^t) / (1 - mu), p_t = p_0 - lr * sum_k buf_k
        float lr = 0.1f;
        float mu = 0.9f;
        float[] g = {1f, -0.5f, 2f, 0f, 0.25f, -3f};
        Tensor p = Tensor.of(P0.clone(), P0.length);
        Tensor q = Tensor.of(P0.clone(), P0.length);
        SGD sgd = new SGD(List.of(p), SGD.Config.of(lr).withMomentum(mu));
        SGD nesterov = new SGD(List.of(q), SGD.Config.of(lr).withMomentum(mu).withNesterov(true));
        double sumBuf = 0;
        double sumNesterov = 0;
        for (int t = 1; t <= 10; t++) {
            setGrad(p, g);
            setGrad(q, g);
            sgd.step();
            nesterov.step();
            double buf = (1 - Math.pow(mu, t)) / (1 - mu);
            sumBuf += buf;
            sumNesterov += 1 + mu * buf;   // Nesterov steps along g + mu * buf_t
            for (int i = 0; i < g.length; i++) {
                assertEquals(P0[i] - lr * g[i] * sumBuf, p.toArray()[i], 1e-5 * (1 + Math.abs(P0[i])), "t=" + t);
                assertEquals(P0[i] - lr * g[i] * sumNesterov, q.toArray()[i], 1e-5 * (1 + Math.abs(P0[i])), "t=" + t);
            }
        }
    }

    @Test
    void sgdWeightDecayAndPlainSteps() {
        float[][] grads = gradients(3, 5);
        Tensor p = Tensor.of(P0.clone(), P0.length);
        SGD sgd = new SGD(List.of(p), SGD.Config.of(0.05f).withMomentum(0.5f).withWeightDecay(0.01f));
        double[] ref = new double[P0.length];
        double[] buf = new double[P0.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = P0[i];
        }
        for (float[] g : grads) {
            setGrad(p, g);
            sgd.step();
            for (int i = 0; i < ref.length; i++) {
                double d = g[i] + 0.01 * ref[i];
                buf[i] = 0.5 * buf[i] + d;
                ref[i] -= 0.05 * buf[i];
            }
        }
        assertClose(ref, p.toArray(), 1e-6, "SGD");
        Tensor r = Tensor.of(P0.clone(), P0.length);
        SGD plain = new SGD(List.of(r), SGD.Config.of(0.5f));
        setGrad(r, grads[0]);
        plain.step();
        for (int i = 0; i < P0.length; i++) {
            assertEquals(P0[i] - 0.5f * grads[0][i], r.toArray()[i], 1e-6);
        }
        assertTrue(plain.stateDict().tensors().isEmpty(), "no momentum, no buffer");
    }

    @Test
    void parameterGroupsHaveTheirOwnLearningRatesAndNullGradsAreSkipped() {
        Tensor a = Tensor.of(P0.clone(), P0.length);
        Tensor b = Tensor.of(P0.clone(), P0.length);
        Tensor c = Tensor.of(P0.clone(), P0.length);
        SGD sgd = new SGD(Map.of("g.w", a), SGD.Config.of(0.1f));
        sgd.addGroup(Map.of("d.w", b, "d.b", c), SGD.Config.of(0.4f));
        float[] g = {1, 1, 1, 1, 1, 1};
        setGrad(a, g);
        setGrad(b, g);
        sgd.step();   // c has no gradient: untouched
        assertEquals(P0[0] - 0.1f, a.toArray()[0], 1e-6);
        assertEquals(P0[0] - 0.4f, b.toArray()[0], 1e-6);
        assertArrayEquals(P0, c.toArray());
        sgd.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
        sgd.step();   // nothing has a gradient: nothing moves
        assertEquals(P0[0] - 0.1f, a.toArray()[0], 1e-6);
        sgd.setLr(0.2f);
        assertEquals(0.2f, sgd.groups().get(1).config().lr());

        Adam adam = new Adam(Map.of("x", a, "y", c), Adam.Config.defaults());
        setGrad(a, g);
        adam.step();
        OptimizerState s = adam.stateDict();
        assertEquals(List.of("x.exp_avg", "x.exp_avg_sq"), List.copyOf(s.tensors().keySet()));
        assertEquals(Map.of("x.step", 1L), s.counters());

        assertThrows(IllegalArgumentException.class, () -> sgd.addGroup(Map.of("g.w", Tensor.zeros(1)), SGD.Config.of(1)));
        assertThrows(IllegalArgumentException.class, () -> sgd.addGroup(Map.of("other", a), SGD.Config.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(a), Adam.Config.defaults().withBetas(1f, 0.9f)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), SGD.Config.of(0.1f).withNesterov(true)));
    }

    private static Map<String, Tensor> params(float[]... values) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put("layer" + i + ".weight", Tensor.of(values[i].clone(), values[i].length));
        }
        return m;
    }

    private static void run(Optimizer<?> opt, Map<String, Tensor> params, float[][] grads, int from, int to) {
        for (int t = from; t < to; t++) {
            int k = 0;
            for (Tensor p : params.values()) {
                setGrad(p, grads[(t * 7 + k++) % grads.length]);
            }
            opt.step();
        }
    }

    /** Save after some steps, load into a fresh optimizer over copies of the parameters: both continue identically. */
    @Test
    void stateDictRoundTripContinuesIdentically(@TempDir Path dir) throws Exception {
        float[][] grads = gradients(4, 12);
        for (int kind = 0; kind < 3; kind++) {
            Map<String, Tensor> pa = params(P0, grads[11]);
            Adam.Config ac = Adam.Config.defaults().withLr(0.05f).withBetas(0.5f, 0.99f);
            SGD.Config sc = SGD.Config.of(0.05f).withMomentum(0.9f).withNesterov(true);
            Optimizer<?> a = kind == 0 ? new Adam(pa, ac) : kind == 1 ? new AdamW(pa, ac.withWeightDecay(0.1f))
                    : new SGD(pa, sc);
            run(a, pa, grads, 0, 5);

            Checkpoint ck = new Checkpoint().putAll("model.", pa);
            a.stateDict().writeTo(ck, "optim.");
            Path file = dir.resolve("opt" + kind + ".safetensors");
            ck.save(file);
            Checkpoint loaded = Checkpoint.load(file, pa.values().iterator().next().backend());

            Map<String, Tensor> pb = loaded.tensorsWithPrefix("model.");
            Optimizer<?> b = kind == 0 ? new Adam(pb, ac) : kind == 1 ? new AdamW(pb, ac.withWeightDecay(0.1f))
                    : new SGD(pb, sc);
            b.loadStateDict(OptimizerState.readFrom(loaded, "optim."));
            run(a, pa, grads, 5, 10);
            run(b, pb, grads, 5, 10);
            for (String name : pa.keySet()) {
                assertArrayEquals(pa.get(name).toArray(), pb.get(name).toArray(), "kind " + kind + " " + name);
            }
            assertEquals(a.stateDict().counters(), b.stateDict().counters());
            assertEquals(10L, b.stateDict().counters().get("layer0.weight.step"));
        }
    }

    @Test
    void loadStateDictChecksEverythingBeforeChangingAnything() {
        Map<String, Tensor> pa = params(P0);
        Adam adam = new Adam(pa, Adam.Config.defaults());
        run(adam, pa, gradients(5, 3), 0, 3);
        OptimizerState good = adam.stateDict();
        Map<String, Tensor> wrongShape = new LinkedHashMap<>(good.tensors());
        wrongShape.put("layer0.weight.exp_avg", Tensor.zeros(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadStateDict(new OptimizerState(wrongShape, good.counters())));
        assertTrue(e.getMessage().contains("layer0.weight.exp_avg") && e.getMessage().contains("[6]"), e.getMessage());
        Map<String, Tensor> missing = new LinkedHashMap<>(good.tensors());
        missing.remove("layer0.weight.exp_avg_sq");
        e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadStateDict(new OptimizerState(missing, good.counters())));
        assertTrue(e.getMessage().contains("layer0.weight.exp_avg_sq"), e.getMessage());
        Map<String, Tensor> unknown = new LinkedHashMap<>(good.tensors());
        unknown.put("decoder.weight.exp_avg", Tensor.zeros(6));
        e = assertThrows(IllegalArgumentException.class,
                () -> adam.loadStateDict(new OptimizerState(unknown, good.counters())));
        assertTrue(e.getMessage().contains("decoder.weight.exp_avg"), e.getMessage());
        // the failed loads changed nothing
        assertEquals(good.counters(), adam.stateDict().counters());
        assertArrayEquals(good.tensors().get("layer0.weight.exp_avg").toArray(),
                adam.stateDict().tensors().get("layer0.weight.exp_avg").toArray());
        // the snapshot is a copy: stepping on does not change it
        float before = good.tensors().get("layer0.weight.exp_avg").toArray()[0];
        run(adam, pa, gradients(6, 1), 0, 1);
        assertEquals(before, good.tensors().get("layer0.weight.exp_avg").toArray()[0]);
        assertFalse(adam.stateDict().counters().isEmpty());
    }
}
