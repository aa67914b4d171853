package io.gan4j.core.ops;

import io.gan4j.core.autograd.Autograd;
import io.gan4j.core.autograd.NotDifferentiableTwiceException;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.randn;
import static io.gan4j.core.ops.OpsTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch norm (training and inference), nearest upsampling and pixel shuffle. */
class NormAndResamplingGradTest {

    @Test
    void batchNormTrainingFirstOrder() {
        int[][] shapes = {{4, 3, 2, 3}, {1, 2, 3, 5}, {5, 3}, {2, 1, 1, 3}};
        long seed = 1;
        for (int[] s : shapes) {
            Tensor x = randn(seed++, s).mul(1.5f).add(0.5f);
            Tensor gamma = uniform(seed++, 0.5f, 1.5f, s[1]);
            Tensor beta = randn(seed++, s[1]);
            String what = "batch_norm " + java.util.Arrays.toString(s);
            // running statistics are state, not inputs: each evaluation gets fresh ones
            CHECK.check(what, in -> Ops.batchNorm(in[0], in[1], in[2], Tensor.zeros(s[1]), Tensor.ones(s[1]),
                    0.1f, 1e-5f), x, gamma, beta);
            // and without running statistics; a smooth function after it gives every output its own weight
            CHECK.check(what + " tanh", in -> Ops.batchNorm(in[0], in[1], in[2], null, null, 0.1f, 1e-5f).tanh(),
                    x, gamma, beta);
        }
    }

    @Test
    void batchNormOutputIsNormalisedPerChannel() {
        Tensor x = randn(10, 6, 2, 3, 4).mul(3f).add(5f);
        Tensor y = Ops.batchNorm(x, Tensor.ones(2), Tensor.zeros(2), null, null, 0.1f, 0f);
        Tensor mean = y.mean(new int[] {0, 2, 3}, false);
        Tensor var = y.square().mean(new int[] {0, 2, 3}, false);
        assertArrayEquals(new float[] {0f, 0f}, mean.toArray(), 1e-5f);
        assertArrayEquals(new float[] {1f, 1f}, var.toArray(), 1e-4f);
    }

    @Test
    void batchNormSecondDerivativeThrowsAClearException() {
        Tensor x = randn(20, 3, 2, 2, 2).requiresGrad(true);
        Tensor gamma = Tensor.ones(2).requiresGrad(true);
        Tensor beta = Tensor.zeros(2).requiresGrad(true);
        Tensor out = Ops.batchNorm(x, gamma, beta, null, null, 0.1f, 1e-5f).square().sum();
        // the first derivative with a graph works ...
        Tensor gx = Autograd.grad(out, x, true);
        assertNotNull(gx.gradFn(), "the gradient is on the tape, marked");
        // ... differentiating it again must refuse, never return a silently wrong number
        Tensor penalty = gx.square().sum();
        NotDifferentiableTwiceException e = assertThrows(NotDifferentiableTwiceException.class,
                () -> Autograd.grad(penalty, x, false));
        assertTrue(e.getMessage().contains("BatchNorm") && e.getMessage().contains("twice"), e.getMessage());
        // the same through GradCheck, as a gradient penalty over a critic with batch norm would hit it
        assertThrows(NotDifferentiableTwiceException.class, () -> CHECK.checkSecondOrder("batch_norm",
                in -> Ops.batchNorm(in[0], in[1], in[2], null, null, 0.1f, 1e-5f), x.detach(), gamma.detach(),
                beta.detach()));
        // the penalty w.r.t. gamma goes through the fused backward too
        Tensor gg = Autograd.grad(out, gamma, true);
        assertThrows(NotDifferentiableTwiceException.class, () -> Autograd.grad(gg.sum(), gamma, false));
    }

    @Test
    void batchNormInferenceAnyOrder() {
        Tensor x = randn(30, 3, 4, 2, 3);
        Tensor gamma = uniform(31, 0.5f, 1.5f, 4);
        Tensor beta = randn(32, 4);
        Tensor mean = randn(33, 4);
        Tensor var = uniform(34, 0.5f, 2f, 4);
        CHECK.check("batch_norm inference", in -> Ops.batchNormInference(in[0], in[1], in[2], mean, var, 1e-5f),
                x, gamma, beta);
        CHECK.checkSecondOrder("batch_norm inference",
                in -> Ops.batchNormInference(in[0], in[1], in[2], mean, var, 1e-5f).square(), x, gamma, beta);
        CHECK.check("batch_norm inference [N, C]",
                in -> Ops.batchNormInference(in[0], in[1], in[2], mean, var, 1e-5f), randn(35, 5, 4), gamma, beta);
        // it normalises with the running statistics, exactly the formula
        float[] xv = x.toArray();
        float[] y = Ops.batchNormInference(x, gamma, beta, mean, var, 1e-5f).toArray();
        float[] g = gamma.toArray();
        float[] b = beta.toArray();
        float[] m = mean.toArray();
        float[] v = var.toArray();
        for (int i = 0; i < xv.length; i++) {
            int c = (i / 6) % 4;
            assertEquals((xv[i] - m[c]) / Math.sqrt(v[c] + 1e-5) * g[c] + b[c], y[i], 1e-5);
        }
    }

    @Test
    void upsampleNearest() {
        for (int f : new int[] {1, 2, 3}) {
            Tensor x = randn(40 + f, 2, 3, 3, 2);
            CHECK.check("upsample x" + f, in -> Ops.upsampleNearest(in[0], f), x);
            CHECK.checkSecondOrder("upsample x" + f, in -> Ops.upsampleNearest(in[0], f).square(), x);
        }
        Tensor single = randn(44, 1, 1, 1, 1);
        assertArrayEquals(new float[] {single.item(), single.item(), single.item(), single.item()},
                Ops.upsampleNearest(single, 2).toArray());
    }

    @Test
    void upsampleNearestGradOp() {
        Tensor g = randn(45, 2, 2, 6, 4);
        CHECK.check("upsample grad", in -> UpsampleNearest.UpsampleNearestGrad.apply(in[0], 2), g);
        CHECK.checkSecondOrder("upsample grad", in -> UpsampleNearest.UpsampleNearestGrad.apply(in[0], 2).square(), g);
        // the adjoint of upsampling: <up(x), g> = <x, up^T(g)>
        Tensor x = randn(46, 2, 2, 3, 2);
        double lhs = Ops.upsampleNearest(x, 2).mul(g).sum().item();
        double rhs = x.mul(UpsampleNearest.UpsampleNearestGrad.apply(g, 2)).sum().item();
        assertEquals(lhs, rhs, 1e-4);
    }

    @Test
    void pixelShuffleAndUnshuffle() {
        Tensor x = randn(50, 2, 8, 3, 1);
        CHECK.check("pixel_shuffle r2", in -> Ops.pixelShuffle(in[0], 2), x);
        CHECK.checkSecondOrder("pixel_shuffle r2", in -> Ops.pixelShuffle(in[0], 2).square(), x);
        Tensor y = randn(51, 1, 2, 6, 3);
        CHECK.check("pixel_unshuffle r3", in -> Ops.pixelUnshuffle(in[0], 3), y);
        CHECK.checkSecondOrder("pixel_unshuffle r3", in -> Ops.pixelUnshuffle(in[0], 3).square(), y);
        // each undoes the other exactly
        assertArrayEquals(x.toArray(), Ops.pixelUnshuffle(Ops.pixelShuffle(x, 2), 2).toArray());
        assertArrayEquals(y.toArray(), Ops.pixelShuffle(Ops.pixelUnshuffle(y, 3), 3).toArray());
        assertArrayEquals(new int[] {2, 2, 6, 2}, Ops.pixelShuffle(x, 2).shape());
        assertArrayEquals(new int[] {1, 18, 2, 1}, Ops.pixelUnshuffle(y, 3).shape());
    }
}
