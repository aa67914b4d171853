package io.gan4j.core.loss;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeSeekingRegularizerTest {

    /** mean |a[i] - a[half + i]| over the pairs, from host arrays. */
    private static double pairDistance(float[] a, int n) {
        int half = n / 2;
        int per = a.length / n;
        double sum = 0;
        for (int i = 0; i < half * per; i++) {
            sum += Math.abs(a[i] - a[half * per + i]);
        }
        return sum / (half * per);
    }

    @Test
    void matchesTheHandComputedTermAndLeavesTheOddSampleOut() {
        Generator gen = new Generator(3);
        Tensor fakes = Tensor.randn(gen, 5, 2, 3);
        Tensor z = Tensor.randn(gen, 5, 4);
        double expected = 2.5 / (pairDistance(fakes.toArray(), 5) / pairDistance(z.toArray(), 5)
                + ModeSeekingRegularizer.EPS);
        assertEquals(expected, new ModeSeekingRegularizer(2.5f).penalty(fakes, z).item(), 1e-5 * expected);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Generator gen = new Generator(4);
        // each pair at least 0.5 apart in every coordinate: finite differences must not step across |0|'s kink
        Tensor first = Tensor.randn(gen, 2, 6);
        Tensor fakes = Ops.concat(0, first, first.add(Tensor.randn(gen, 2, 6).abs().add(0.5f)));
        Tensor z = Tensor.randn(gen, 4, 3);
        ModeSeekingRegularizer ms = new ModeSeekingRegularizer(1f);
        GradCheck.float32().check("mode seeking w.r.t. the samples", p -> ms.penalty(p[0], z), fakes);
    }

    @Test
    void aDescentStepPushesThePairsApart() {
        Generator gen = new Generator(5);
        // nearly collapsed: the second half is the first plus a little noise
        Tensor first = Tensor.randn(gen, 3, 8);
        Tensor fakes = Ops.concat(0, first, first.add(Tensor.randn(gen, 3, 8).mul(0.01f)))
                .requiresGrad(true);
        Tensor z = Tensor.randn(gen, 6, 4);
        ModeSeekingRegularizer ms = new ModeSeekingRegularizer(1f);
        Tensor term = ms.penalty(fakes, z);
        term.backward();
        Tensor moved = fakes.detach().sub(fakes.grad().mul(1e-4f));
        double before = pairDistance(fakes.toArray(), 6);
        double after = pairDistance(moved.toArray(), 6);
        assertTrue(after > before, "pair distance " + before + " -> " + after);
        assertTrue(ms.penalty(moved, z).item() < term.item(), "the term must fall");
    }

    @Test
    void refusesBadInputWithTheShapes() {
        ModeSeekingRegularizer ms = new ModeSeekingRegularizer(1f);
        Generator gen = new Generator(6);
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> ms.penalty(Tensor.randn(gen, 1, 3), Tensor.randn(gen, 1, 2)));
        assertTrue(one.getMessage().contains("[1, 3]"), one.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ms.penalty(Tensor.randn(gen, 4, 3), Tensor.randn(gen, 3, 2)));
        assertTrue(rows.getMessage().contains("[3, 2]"), rows.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModeSeekingRegularizer(0f));
        assertThrows(IllegalArgumentException.class, () -> new ModeSeekingRegularizer(Float.NaN));
    }
}
