package io.gan4j.core.ops;

import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.awayFromZero;
import static io.gan4j.core.ops.OpsTesting.distinct;
import static io.gan4j.core.ops.OpsTesting.randn;
import static io.gan4j.core.ops.OpsTesting.uniform;

/**
 * First and second derivatives of the ops a WGAN-GP critic or an R1 penalty is made of, on seeded random
 * shapes: every shape has a size of 1 (batch 1 among them) and an odd size (see {@link OpsTesting#randomShape}).
 */
class RandomShapesGradTest {
    private static final int ROUNDS = 4;

    private static void both(String what, Function<Tensor[], Tensor> f, Tensor... xs) {
        var check = CHECK.maxChecks(24);
        check.check(what, f, xs);
        check.checkSecondOrder(what, f, xs);
    }

    @Test
    void linearAndMatmul() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int round = 0; round < ROUNDS; round++) {
            // batch 1 in the first round, then random; odd feature counts
            int n = round == 0 ? 1 : 1 + rnd.nextInt(5);
            int in = 1 + 2 * rnd.nextInt(4);
            int out = 1 + rnd.nextInt(6);
            Tensor x = randn(10 + round, n, in);
            Tensor w = randn(20 + round, (float) (1 / Math.sqrt(in)), out, in);
            Tensor b = randn(30 + round, 0.1f, out);
            String what = "linear " + n + "x" + in + " -> " + out;
            both(what, z -> Ops.linear(z[0], z[1], z[2]).tanh(), x, w, b);
            int batch = 1 + rnd.nextInt(3);
            int k = 1 + rnd.nextInt(5);
            boolean ta = rnd.nextBoolean();
            boolean tb = rnd.nextBoolean();
            Tensor a = ta ? randn(40 + round, batch, k, n) : randn(40 + round, batch, n, k);
            Tensor bb = tb ? randn(50 + round, batch, out, k) : randn(50 + round, batch, k, out);
            both("batched matmul " + Arrays.toString(a.shape()) + " ta=" + ta + " x " + Arrays.toString(bb.shape())
                    + " tb=" + tb, z -> Ops.matmul(z[0], z[1], ta, tb).square(), a, bb);
        }
    }

    @Test
    void unaryElementwise() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int round = 0; round < ROUNDS; round++) {
            int[] s = OpsTesting.randomShape(rnd, 1 + rnd.nextInt(4), 4);
            String at = " on " + Arrays.toString(s);
            Tensor x = randn(100 + round, 0.8f, s);
            Tensor positive = uniform(200 + round, 0.5f, 2f, s);
            Tensor away = awayFromZero(300 + round, 0.1f, 1.5f, s);
            both("exp" + at, z -> z[0].exp(), x);
            both("tanh" + at, z -> z[0].tanh(), x);
            both("sigmoid" + at, z -> z[0].sigmoid(), x);
            both("softplus" + at, z -> z[0].softplus(), x);
            both("square" + at, z -> z[0].square(), x);
            both("log" + at, z -> z[0].log(), positive);
            both("sqrt" + at, z -> z[0].sqrt(), positive);
            both("pow 1.5" + at, z -> z[0].pow(1.5f), positive);
            both("leaky relu" + at, z -> z[0].leakyRelu(0.2f).square(), away);
            both("div" + at, z -> z[0].div(z[1]), x, away);
        }
    }

    @Test
    void reductions() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int round = 0; round < ROUNDS; round++) {
            int rank = 1 + rnd.nextInt(4);
            int[] s = OpsTesting.randomShape(rnd, rank, 4);
            int[] axes = rnd.ints(1 + rnd.nextInt(rank), -rank, rank).map(a -> a < 0 ? a + rank : a).distinct()
                    .toArray();
            boolean keep = rnd.nextBoolean();
            String what = Arrays.toString(axes) + " keepDims=" + keep + " of " + Arrays.toString(s);
            Tensor x = randn(400 + round, s);
            both("sum " + what, z -> z[0].sum(axes, keep).square(), x);
            both("mean " + what, z -> z[0].mean(axes, keep).square(), x);
            // no ties, gaps of 0.1 >> eps: the arg max does not move under the finite differences
            both("max " + what, z -> z[0].max(axes, keep).square(), distinct(500 + round, 0.1f, s));
            both("sum all of " + Arrays.toString(s), z -> z[0].square().sum(), x);
        }
    }
}
