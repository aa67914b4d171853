package io.gan4j.core.autograd;

import io.gan4j.core.ops.Ops;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tape: recording, backward, grad with and without a graph, accumulation, detach, grad mode. */
class AutogradTest {

    @Test
    void backwardAccumulatesIntoLeaves() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor y = x.square().sum();
        y.backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toArray());
        x.square().sum().backward();
        assertArrayEquals(new float[] {4, 8, 12}, x.grad().toArray(), "a second backward adds");
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3}, x.grad().toArray());
    }

    @Test
    void sharedSubgraphsAddTheirContributions() {
        // y = (a*b) + (a*b)^2 with a*b used twice; dy/da = b + 2ab*b
        Tensor a = Tensor.of(new float[] {2}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3}, 1).requiresGrad(true);
        Tensor ab = a.mul(b);
        ab.add(ab.square()).sum().backward();
        assertEquals(3 + 2 * 6 * 3, a.grad().item(), 1e-5);
        assertEquals(2 + 2 * 6 * 2, b.grad().item(), 1e-5);
    }

    @Test
    void gradWithoutAndWithGraph() {
        Tensor x = Tensor.of(new float[] {0.5f, -1f}, 2).requiresGrad(true);
        Tensor y = x.pow(3f).sum();
        Tensor g = Autograd.grad(y, x, false);
        assertArrayEquals(new float[] {0.75f, 3f}, g.toArray(), 1e-6f);
        assertFalse(g.requiresGrad(), "without createGraph the gradient is a constant");
        assertNull(x.grad(), "grad() does not touch .grad");
        Tensor g1 = Autograd.grad(x.pow(3f).sum(), x, true);
        assertTrue(g1.requiresGrad());
        Tensor g2 = Autograd.grad(g1.sum(), x, true);
        assertArrayEquals(new float[] {3f, -6f}, g2.toArray(), 1e-6f);
        Tensor g3 = Autograd.grad(g2.sum(), x, false);
        assertArrayEquals(new float[] {6f, 6f}, g3.toArray(), 1e-5f);
    }

    @Test
    void gradOfAnUnrelatedInputIsZero() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor unrelated = Tensor.ones(3).requiresGrad(true);
        Tensor[] gs = Autograd.grad(new Tensor[] {x.sum()}, new Tensor[] {x, unrelated}, null, false);
        assertArrayEquals(new float[] {1, 1}, gs[0].toArray());
        assertArrayEquals(new float[] {0, 0, 0}, gs[1].toArray());
    }

    @Test
    void gradWithRespectToAnIntermediateAndThroughIt() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor h = x.mul(3f);
        Tensor y = h.square().sum().add(x.sum());
        Tensor[] gs = Autograd.grad(new Tensor[] {y}, new Tensor[] {h, x}, null, false);
        assertArrayEquals(new float[] {6, 12}, gs[0].toArray(), 1e-6f);   // 2h
        assertArrayEquals(new float[] {19, 37}, gs[1].toArray(), 1e-5f);  // 2h*3 + 1
    }

    @Test
    void vectorJacobianProductWithGivenGradOutputs() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor y = x.square();
        Tensor v = Tensor.of(new float[] {1, 0, -1}, 3);
        Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, new Tensor[] {v}, false)[0];
        assertArrayEquals(new float[] {2, 0, -6}, g.toArray());
        y.backward(v);
        assertArrayEquals(new float[] {2, 0, -6}, x.grad().toArray());
    }

    @Test
    void detachAndGradModeCutTheTape() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor d = x.mul(2f).detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        Tensor y = x.mul(d).sum();
        y.backward();
        assertArrayEquals(new float[] {2, 2}, x.grad().toArray(), "no gradient flows through the detached factor");
        try (GradMode off = GradMode.disable()) {
            Tensor z = x.square();
            assertFalse(z.requiresGrad());
            assertFalse(GradMode.isEnabled());
            try (GradMode on = GradMode.enable()) {
                assertTrue(x.square().requiresGrad());
            }
            assertFalse(GradMode.isEnabled(), "modes nest");
        }
        assertTrue(GradMode.isEnabled());
        assertThrows(IllegalStateException.class, () -> x.square().requiresGrad(false));
    }

    @Test
    void recordedOpsNameThemselves() {
        Tensor x = Tensor.ones(2, 2).requiresGrad(true);
        assertEquals("Mul", x.mul(x).gradFn().name());
        assertEquals("LeakyRelu", x.leakyRelu(0.2f).gradFn().name());
        assertEquals("Relu", x.relu().gradFn().name());
        assertTrue(x.add(1f).toString().contains("grad_fn=AddScalar"));
        Tensor leaf = Tensor.zeros(3);
        assertSame(null, leaf.gradFn());
        assertTrue(leaf.isLeaf());
    }

    @Test
    void concatKeepsItsOwnCopyOfTheInputs() {
        Tensor a = Tensor.ones(2).requiresGrad(true);
        Tensor b = Tensor.ones(3).requiresGrad(true);
        Tensor[] parts = {a, b};
        Tensor y = Ops.concat(0, parts);
        parts[0] = Tensor.ones(5).requiresGrad(true);   // the caller reuses its array
        y.mul(Tensor.arange(5)).sum().backward();
        assertArrayEquals(new float[] {0, 1}, a.grad().toArray());
        assertArrayEquals(new float[] {2, 3, 4}, b.grad().toArray());
    }

    @Test
    void powZeroHasAZeroGradientEverywhere() {
        Tensor x = Tensor.of(new float[] {0f, 2f}, 2).requiresGrad(true);
        x.pow(0f).sum().backward();
        assertArrayEquals(new float[] {0f, 0f}, x.grad().toArray());
        assertArrayEquals(new float[] {1f, 1f}, x.pow(0f).toArray());
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.randn(new Generator(1), 4).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1f);
        }
        y.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 1}, x.grad().toArray());
    }
}
