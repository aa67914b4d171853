package io.gan4j.core.ops;

import io.gan4j.core.autograd.Autograd;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Second derivatives through whole critics, as WGAN-GP and R1 need them: the penalty is a function of
 * {@code grad_x D(x)}, and the critic's weights are trained on it.
 */
class GradientPenaltyGradTest {
    private static final int N = 3;

    /** Per pre-activation offsets of +-0.5 that keep the leaky ReLU of the critic away from its kink. */
    private static Tensor offsets;

    /**
     * A tiny critic: conv(2->3, k3, s2, p1) + offset, leaky ReLU(0.2), flatten, linear(3*3*3 -> 1) + bias.
     * Output [N, 1].
     */
    private static Tensor critic(Tensor x, Tensor w1, Tensor w2, Tensor b2, Tensor offset) {
        Tensor h = Ops.conv2d(x, w1, 2, 1);
        h = offset == null ? h : h.add(offset);
        return Ops.linear(h.leakyRelu(0.2f).reshape(x.size(0), -1), w2, b2);
    }

    /** Offsets pushing each pre-activation at least 0.5 away from 0 (they are constants, not inputs). */
    private static Tensor awayFromKink(Tensor x, Tensor w1) {
        float[] h = Ops.conv2d(x, w1, 2, 1).toArray();
        float[] o = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            o[i] = h[i] >= 0 ? 0.5f : -0.5f;
        }
        return Tensor.of(o, Ops.conv2d(x, w1, 2, 1).shape());
    }

    private final Tensor x = randn(1, N, 2, 5, 5);
    private final Tensor w1 = randn(2, 0.3f, 3, 2, 3, 3);
    private final Tensor w2 = randn(3, 0.3f, 1, 27);
    private final Tensor b2 = randn(4, 1);

    @Test
    void tinyCriticMeanOfLinearOfLeakyReluOfConv() {
        Tensor off = awayFromKink(x, w1);
        java.util.function.Function<Tensor[], Tensor> d = in -> critic(in[0], in[1], in[2], in[3], off).mean();
        CHECK.check("critic", d, x, w1, w2, b2);
        CHECK.checkSecondOrder("critic", d, x, w1, w2, b2);
    }

    /**
     * WGAN-GP (Gulrajani et al. 2017): {@code mean_i (||grad_x D(x_i)||_2 - 1)^2}, the norm over each whole
     * flattened sample, differentiated w.r.t. the critic weights (a second derivative of D).
     */
    private static Tensor wganGpPenalty(Tensor xHat, Tensor w1, Tensor w2, Tensor b2, Tensor off) {
        Tensor leaf = xHat.detach().requiresGrad(true);
        Tensor out = critic(leaf, w1, w2, b2, off);
        Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {leaf}, new Tensor[] {out.onesLike()}, true)[0];
        Tensor norm = g.reshape(g.size(0), -1).square().sum(1).add(1e-12f).sqrt();
        return norm.sub(1f).square().mean();
    }

    @Test
    void wganGpPenaltyWithRespectToCriticWeights() {
        Tensor real = x;
        Tensor fake = randn(5, N, 2, 5, 5);
        // per-sample interpolation weight from U[0, 1], one per sample, broadcast over C, H, W
        Tensor alpha = Tensor.rand(new Generator(6), N, 1, 1, 1);
        Tensor xHat = real.mul(alpha).add(fake.mul(alpha.neg().add(1f)));
        Tensor off = awayFromKink(xHat, w1);
        CHECK.check("wgan-gp penalty", in -> wganGpPenalty(xHat, in[0], in[1], in[2], off), w1, w2, b2);
        // and a second derivative of the penalty itself (third of D) in the linear layer's weights
        CHECK.checkSecondOrder("wgan-gp penalty", in -> wganGpPenalty(xHat, w1, in[0], b2, off), w2);
    }

    @Test
    void penaltyGradientMatchesAHandDerivation() {
        // D(x) = <w, x> per sample (linear critic): grad_x D = w for every sample, so
        // penalty = (||w|| - 1)^2 and d penalty / dw = 2 (||w|| - 1) w / ||w||
        Tensor w = randn(7, 1, 12).requiresGrad(true);
        Tensor xs = randn(8, 4, 12).requiresGrad(true);
        Tensor out = Ops.linear(xs, w, null);
        Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {xs}, new Tensor[] {out.onesLike()}, true)[0];
        Tensor penalty = g.square().sum(1).sqrt().sub(1f).square().mean();
        Tensor dw = Autograd.grad(penalty, w, false);
        float[] wv = w.toArray();
        double norm = 0;
        for (float v : wv) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] got = dw.toArray();
        for (int i = 0; i < wv.length; i++) {
            assertEquals(2 * (norm - 1) * wv[i] / norm, got[i], 1e-5);
        }
        assertEquals((norm - 1) * (norm - 1), penalty.item(), 1e-5);
    }

    @Test
    void r1PenaltyWithRespectToCriticWeights() {
        // R1 (Mescheder et al. 2018): gamma / 2 * E ||grad_x D(x)||^2 on real data
        Tensor off = awayFromKink(x, w1);
        java.util.function.Function<Tensor[], Tensor> r1 = in -> {
            Tensor leaf = x.detach().requiresGrad(true);
            Tensor out = critic(leaf, in[0], in[1], in[2], off).sum();
            Tensor g = Autograd.grad(out, leaf, true);
            return g.square().sum().mul(5f / N);
        };
        CHECK.check("r1 penalty", r1, w1, w2, b2);
    }

    @Test
    void penaltyNormIsPerWholeSample() {
        // a critic that sums its input: grad_x D = 1 everywhere, so each sample's norm is sqrt(C*H*W)
        Tensor xs = randn(9, 2, 3, 2, 2).requiresGrad(true);
        Tensor out = xs.sum(new int[] {1, 2, 3}, false);
        Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {xs}, new Tensor[] {out.onesLike()}, true)[0];
        Tensor norms = g.reshape(2, -1).square().sum(1).sqrt();
        assertArrayEquals(new float[] {(float) Math.sqrt(12), (float) Math.sqrt(12)}, norms.toArray(), 1e-6f);
    }

    /**
     * The dcgan-mnist critic's structure at a small size: conv(1->2, k5 s2 p2) LReLU(0.2) conv(2->3, k5 s2 p2)
     * LReLU(0.2) flatten linear(27->1), on 12x12 images. {@code off} holds the constant offsets that keep each
     * leaky ReLU at least 0.5 from its kink (null: compute them at these weights).
     */
    private static Tensor[] dcganCritic(Tensor x, Tensor w1, Tensor w2, Tensor w3, Tensor b3, Tensor[] off) {
        Tensor[] o = off == null ? new Tensor[2] : off;
        Tensor h = Ops.conv2d(x, w1, 2, 2);
        o[0] = o[0] == null ? signTimesHalf(h) : o[0];
        h = Ops.conv2d(h.add(o[0]).leakyRelu(0.2f), w2, 2, 2);
        o[1] = o[1] == null ? signTimesHalf(h) : o[1];
        Tensor out = Ops.linear(h.add(o[1]).leakyRelu(0.2f).reshape(x.size(0), -1), w3, b3);
        return new Tensor[] {out, o[0], o[1]};
    }

    private static Tensor signTimesHalf(Tensor h) {
        float[] v = h.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] >= 0 ? 0.5f : -0.5f;
        }
        return Tensor.of(v, h.shape());
    }

    @Test
    void wganGpOverTheDcganMnistCriticStructure() {
        int n = 3;
        Tensor real = randn(20, n, 1, 12, 12);
        Tensor fake = randn(21, n, 1, 12, 12);
        Tensor alpha = Tensor.rand(new Generator(22), n, 1, 1, 1);
        Tensor xHat = real.mul(alpha).add(fake.mul(alpha.neg().add(1f)));
        Tensor w1 = randn(23, 0.2f, 2, 1, 5, 5);
        Tensor w2 = randn(24, 0.15f, 3, 2, 5, 5);
        Tensor w3 = randn(25, 0.2f, 1, 27);
        Tensor b3 = randn(26, 1);
        Tensor[] out = dcganCritic(xHat, w1, w2, w3, b3, null);
        Tensor[] off = {out[1], out[2]};
        java.util.function.Function<Tensor[], Tensor> penalty = in -> {
            Tensor leaf = xHat.detach().requiresGrad(true);
            Tensor d = dcganCritic(leaf, in[0], in[1], in[2], in[3], off)[0];
            Tensor g = Autograd.grad(new Tensor[] {d}, new Tensor[] {leaf}, new Tensor[] {d.onesLike()}, true)[0];
            return g.reshape(n, -1).square().sum(1).add(1e-12f).sqrt().sub(1f).square().mean().mul(10f);
        };
        var check = CHECK.maxChecks(20);
        check.check("wgan-gp over dcgan-mnist critic", penalty, w1, w2, w3, b3);
        // a second derivative of the penalty (a third of the critic) in the second conv and the linear weights
        check.checkSecondOrder("wgan-gp over dcgan-mnist critic", in -> penalty.apply(new Tensor[] {w1, in[0], in[1], b3}),
                w2, w3);
    }
}
