package io.gan4j.core.loss;

import io.gan4j.core.autograd.Autograd;
import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanLossTest {
    // logits kept away from the hinge's kinks at +-1 so that finite differences are meaningful
    private static final float[] REAL = {0.7f, -0.3f, 2.1f, 0.2f, -1.6f, 0.45f};
    private static final float[] FAKE = {-0.8f, 0.35f, -2.4f, 0.1f, 1.4f, -0.55f};

    private static List<GanLoss> all() {
        return List.of(new MinimaxLoss(), new NonSaturatingLoss(), new LeastSquaresLoss(), new HingeLoss(),
                new WassersteinLoss(), new NonSaturatingLoss(0.9f), new MinimaxLoss(0.9f));
    }

    private static Tensor t(float... v) {
        return Tensor.of(v, v.length, 1);
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double mean(float[] v, java.util.function.DoubleUnaryOperator f) {
        double s = 0;
        for (float x : v) {
            s += f.applyAsDouble(x);
        }
        return s / v.length;
    }

    @Test
    void valuesMatchTheFormulasOfThePapers() {
        Tensor r = t(REAL);
        Tensor f = t(FAKE);
        // BCE: -log sigmoid(x) = softplus(-x), -log(1 - sigmoid(x)) = softplus(x)
        double bceD = mean(REAL, x -> softplus(-x)) + mean(FAKE, GanLossTest::softplus);
        assertEquals(bceD, new NonSaturatingLoss().discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(bceD, new MinimaxLoss().discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(mean(FAKE, x -> softplus(-x)), new NonSaturatingLoss().generatorLoss(f).item(), 1e-5);
        // minimax G minimises log(1 - sigmoid(x)), computed directly here
        assertEquals(mean(FAKE, x -> Math.log(1 - 1 / (1 + Math.exp(-x)))),
                new MinimaxLoss().generatorLoss(f).item(), 1e-5);
        // smoothed real label 0.9: -(0.9 log s(x) + 0.1 log(1 - s(x))), fakes unchanged
        double smooth = mean(REAL, x -> 0.9 * softplus(-x) + 0.1 * softplus(x)) + mean(FAKE, GanLossTest::softplus);
        assertEquals(smooth, new NonSaturatingLoss(0.9f).discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(mean(FAKE, x -> softplus(-x)), new NonSaturatingLoss(0.9f).generatorLoss(f).item(), 1e-5,
                "smoothing is one-sided: the generator still aims at 1");
        // LSGAN a=0, b=1, c=1 with the paper's 1/2
        assertEquals(0.5 * mean(REAL, x -> (x - 1) * (x - 1)) + 0.5 * mean(FAKE, x -> x * x),
                new LeastSquaresLoss().discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(0.5 * mean(FAKE, x -> (x - 1) * (x - 1)), new LeastSquaresLoss().generatorLoss(f).item(), 1e-5);
        // hinge
        assertEquals(mean(REAL, x -> Math.max(0, 1 - x)) + mean(FAKE, x -> Math.max(0, 1 + x)),
                new HingeLoss().discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(-mean(FAKE, x -> x), new HingeLoss().generatorLoss(f).item(), 1e-5);
        // Wasserstein
        assertEquals(mean(FAKE, x -> x) - mean(REAL, x -> x), new WassersteinLoss().discriminatorLoss(r, f).item(), 1e-5);
        assertEquals(-mean(FAKE, x -> x), new WassersteinLoss().generatorLoss(f).item(), 1e-5);
    }

    /**
     * The label convention (real = 1, fake = 0, higher logit = more real), pinned for every loss: D lowers
     * its loss by raising real logits and lowering fake ones; G lowers its loss by raising fake logits.
     */
    @Test
    void everyLossFollowsTheOneLabelConvention() {
        assertEquals(1f, GanLoss.REAL_LABEL);
        assertEquals(0f, GanLoss.FAKE_LABEL);
        for (GanLoss loss : all()) {
            Tensor r = Tensor.full(0.2f, 4, 1).requiresGrad(true);
            Tensor f = Tensor.full(0.3f, 4, 1).requiresGrad(true);
            Tensor[] g = Autograd.grad(new Tensor[] {loss.discriminatorLoss(r, f)}, new Tensor[] {r, f}, null, false);
            for (int i = 0; i < 4; i++) {
                assertTrue(g[0].toArray()[i] < 0, loss + ": D should raise real logits");
                assertTrue(g[1].toArray()[i] > 0, loss + ": D should lower fake logits");
            }
            Tensor gf = Autograd.grad(loss.generatorLoss(f), f, false);
            for (float v : gf.toArray()) {
                assertTrue(v < 0, loss + ": G should raise its fake logits");
            }
        }
        // a confident, correct discriminator has (almost) no BCE loss; the fooled one has a large loss
        Tensor confidentReal = Tensor.full(30f, 3, 1);
        Tensor confidentFake = Tensor.full(-30f, 3, 1);
        assertEquals(0, new NonSaturatingLoss().discriminatorLoss(confidentReal, confidentFake).item(), 1e-6);
        assertEquals(60, new NonSaturatingLoss().discriminatorLoss(confidentFake, confidentReal).item(), 1e-3);
    }

    @Test
    void bceWithLogitsIsStableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {-1e4f, -100f, 100f, 1e4f}, 4).requiresGrad(true);
        Tensor ones = Tensor.ones(4);
        Tensor loss = Losses.bceWithLogits(x, ones);
        // -log sigmoid(x) = softplus(-x): 1e4, 100, ~0, 0
        assertEquals((1e4 + 100) / 4, loss.item(), 1e-2);
        float[] g = Autograd.grad(loss, x, false).toArray();
        float[] expected = {-0.25f, -0.25f, 0f, 0f};   // (sigmoid(x) - 1) / 4
        for (int i = 0; i < 4; i++) {
            assertTrue(Float.isFinite(g[i]));
            assertEquals(expected[i], g[i], 1e-6);
        }
        assertEquals((1e4 + 100) / 4, Losses.bceWithLogits(x.neg(), 0f).item(), 1e-2);
        assertEquals(loss.item(), Losses.bceWithLogits(x, 1f).item(), 0);
    }

    @Test
    void elementwiseLosses() {
        Tensor a = Tensor.of(new float[] {1, -2, 3}, 3);
        Tensor b = Tensor.of(new float[] {0, 1, 1}, 3);
        assertEquals((1 + 9 + 4) / 3.0, Losses.mse(a, b).item(), 1e-6);
        assertEquals((1 + 3 + 2) / 3.0, Losses.l1(a, b).item(), 1e-6);
        assertEquals((0 + 9 + 4) / 3.0, Losses.mse(a, 1f).item(), 1e-6);
        double bce = (softplus(1) - 0) + (softplus(-2) + 2 * 1) + (softplus(3) - 3);
        assertEquals(bce / 3, Losses.bceWithLogits(a, b).item(), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.mse(Tensor.zeros(3), Tensor.zeros(3, 1)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[3, 1]"), e.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck check = GradCheck.float32();
        Tensor r = t(REAL);
        Tensor f = t(FAKE);
        for (GanLoss loss : all()) {
            check.check(loss + " D", in -> loss.discriminatorLoss(in[0], in[1]), r, f);
            check.check(loss + " G", in -> loss.generatorLoss(in[0]), f);
        }
        Tensor target = Tensor.of(new float[] {0.1f, 0.9f, 0.5f, 1f, 0f, 0.3f}, 6, 1);
        check.check("bceWithLogits", in -> Losses.bceWithLogits(in[0], in[1]), r, target);
        check.check("mse", in -> Losses.mse(in[0], in[1]), r, f);
        check.check("l1", in -> Losses.l1(in[0], in[1]), r, f);
    }

    @Test
    void namedLossesAndBadSettings() {
        for (String name : GanLoss.NAMES) {
            assertEquals(name, GanLoss.named(name).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanLoss.named("wgan"));
        assertTrue(e.getMessage().contains("wasserstein"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingLoss(0.3f));
        assertThrows(IllegalArgumentException.class, () -> new NonSaturatingLoss(1.1f));
    }
}
