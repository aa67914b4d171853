package io.gan4j.core.ops;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.awayFromZero;
import static io.gan4j.core.ops.OpsTesting.randn;
import static io.gan4j.core.ops.OpsTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** First- and second-order gradient checks of the elementwise ops, with broadcasting. */
class ElementwiseGradTest {

    /** Pairs of shapes that broadcast: equal, scalar, [C,1,1] vs [N,C,H,W], both sides stretched, batch 1, random. */
    private static List<int[][]> broadcastPairs() {
        List<int[][]> pairs = new ArrayList<>(List.of(
                new int[][] {{3, 5}, {3, 5}},
                new int[][] {{}, {2, 3}},
                new int[][] {{2, 3}, {}},
                new int[][] {{2, 3, 4, 5}, {3, 1, 1}},
                new int[][] {{3, 1, 1}, {1, 3, 5, 3}},
                new int[][] {{1, 3}, {5, 1}},
                new int[][] {{4, 1, 5}, {3, 1}},
                new int[][] {{7}, {2, 1, 7}}));
        SplittableRandom rnd = new SplittableRandom(42);
        for (int k = 0; k < 3; k++) {
            int[] a = OpsTesting.randomShape(rnd, 1 + rnd.nextInt(4), 4);
            int[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                if (rnd.nextInt(3) == 0) {
                    b[i] = 1;
                }
            }
            int drop = rnd.nextInt(b.length);
            pairs.add(new int[][] {a, Arrays.copyOfRange(b, drop, b.length)});
        }
        return pairs;
    }

    private void checkBinary(String name, Function<Tensor[], Tensor> f, boolean divisorAwayFromZero) {
        long seed = 1;
        for (int[][] p : broadcastPairs()) {
            Tensor a = randn(seed++, p[0]);
            Tensor b = divisorAwayFromZero ? awayFromZero(seed++, 0.7f, 1f, p[1]) : randn(seed++, p[1]);
            String what = name + " " + Arrays.toString(p[0]) + " with " + Arrays.toString(p[1]);
            CHECK.check(what, f, a, b);
            CHECK.checkSecondOrder(what, f, a, b);
        }
    }

    @Test
    void addWithBroadcasting() {
        // squared so that the second derivative is not identically zero
        checkBinary("add", x -> x[0].add(x[1]).square(), false);
    }

    @Test
    void subWithBroadcasting() {
        checkBinary("sub", x -> x[0].sub(x[1]).square(), false);
    }

    @Test
    void mulWithBroadcasting() {
        checkBinary("mul", x -> x[0].mul(x[1]), false);
    }

    @Test
    void divWithBroadcasting() {
        checkBinary("div", x -> x[0].div(x[1]), true);
    }

    @Test
    void sameTensorOnBothSides() {
        Tensor x = randn(3, 2, 5);
        CHECK.check("x*x", in -> in[0].mul(in[0]), x);
        CHECK.checkSecondOrder("x*x*x", in -> in[0].mul(in[0]).mul(in[0]), x);
        CHECK.checkSecondOrder("x/x^2", in -> in[0].div(in[0].square().add(1f)), x);
    }

    @Test
    void broadcastGradientHasTheInputsShape() {
        Tensor a = randn(4, 2, 3, 4, 5).requiresGrad(true);
        Tensor b = randn(5, 3, 1, 1).requiresGrad(true);
        a.mul(b).sum().backward();
        assertArrayEquals(new int[] {3, 1, 1}, b.grad().shape());
        // d/db sum(a * b) = sum of a over every axis but the channel one
        float[] av = a.toArray();
        float[] gb = b.grad().toArray();
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 20; i++) {
                    s += av[(n * 3 + c) * 20 + i];
                }
            }
            assertEquals(s, gb[c], 1e-4);
        }
    }

    @Test
    void scalarOps() {
        Tensor x = randn(6, 3, 1, 5);
        CHECK.check("addScalar", in -> in[0].add(2.5f).square(), x);
        CHECK.checkSecondOrder("addScalar", in -> in[0].add(2.5f).square(), x);
        CHECK.check("mulScalar", in -> in[0].mul(-1.7f), x);
        CHECK.checkSecondOrder("mulScalar", in -> in[0].mul(-1.7f).square(), x);
        CHECK.check("neg/sub/div scalar", in -> in[0].neg().sub(1f).div(3f).exp(), x);
    }

    @Test
    void powSquareSqrt() {
        Tensor any = randn(7, 2, 3, 3);
        Tensor positive = uniform(8, 0.5f, 2f, 2, 3, 3);
        for (float p : new float[] {1f, 2f, 3f}) {
            CHECK.check("pow " + p, in -> in[0].pow(p), any);
            CHECK.checkSecondOrder("pow " + p, in -> in[0].pow(p), any);
        }
        for (float p : new float[] {0.5f, -1.5f, 2.5f}) {
            CHECK.check("pow " + p, in -> in[0].pow(p), positive);
            CHECK.checkSecondOrder("pow " + p, in -> in[0].pow(p), positive);
        }
        CHECK.check("square", in -> in[0].square(), any);
        CHECK.checkSecondOrder("square", in -> in[0].square(), any);
        CHECK.check("sqrt", in -> in[0].sqrt(), positive);
        CHECK.checkSecondOrder("sqrt", in -> in[0].sqrt(), positive);
    }

    @Test
    void expLogAbs() {
        Tensor x = randn(9, 0.7f, 1, 4, 5);
        Tensor positive = uniform(10, 0.5f, 3f, 4, 5);
        CHECK.check("exp", in -> in[0].exp(), x);
        CHECK.checkSecondOrder("exp", in -> in[0].exp(), x);
        CHECK.check("log", in -> in[0].log(), positive);
        CHECK.checkSecondOrder("log", in -> in[0].log(), positive);
        Tensor away = awayFromZero(11, 0.2f, 1f, 3, 7);
        CHECK.check("abs", in -> in[0].abs(), away);
        CHECK.checkSecondOrder("abs^3", in -> in[0].abs().pow(3f), away);
    }

    @Test
    void smoothActivations() {
        Tensor x = randn(12, 1.5f, 2, 3, 5);
        CHECK.check("tanh", in -> in[0].tanh(), x);
        CHECK.checkSecondOrder("tanh", in -> in[0].tanh(), x);
        CHECK.check("sigmoid", in -> in[0].sigmoid(), x);
        CHECK.checkSecondOrder("sigmoid", in -> in[0].sigmoid(), x);
        CHECK.check("softplus", in -> in[0].softplus(), x);
        CHECK.checkSecondOrder("softplus", in -> in[0].softplus(), x);
        // far in the tails the stable forms must still give the right slopes (1 and 0)
        Tensor tails = Tensor.of(new float[] {-60f, -30f, 30f, 60f}, 4);
        CHECK.check("softplus tails", in -> in[0].softplus(), tails);
        CHECK.check("sigmoid tails", in -> in[0].sigmoid(), tails);
    }

    @Test
    void reluAndLeakyRelu() {
        Tensor x = awayFromZero(13, 0.1f, 2f, 2, 3, 4);
        for (float slope : new float[] {0f, 0.2f, 0.01f}) {
            CHECK.check("leaky_relu " + slope, in -> in[0].leakyRelu(slope), x);
            // the slope mask is piecewise constant: composed with a smooth function, the second order is exact
            CHECK.checkSecondOrder("leaky_relu " + slope, in -> in[0].leakyRelu(slope).square(), x);
            CHECK.checkSecondOrder("tanh(leaky_relu) " + slope, in -> in[0].tanh().leakyRelu(slope).exp(), x);
        }
        CHECK.check("relu", in -> in[0].relu(), x);
        assertArrayEquals(new float[] {0f, 0f, 2f}, Tensor.of(new float[] {-1f, 0f, 2f}, 3).relu().toArray());
        assertArrayEquals(new float[] {-0.2f, 0f, 2f},
                Tensor.of(new float[] {-1f, 0f, 2f}, 3).leakyRelu(0.2f).toArray());
    }

    @Test
    void preluPerChannelAndShared() {
        Tensor x = awayFromZero(14, 0.1f, 2f, 2, 3, 2, 3);
        Tensor perChannel = uniform(15, 0.05f, 0.5f, 3);
        Tensor shared = uniform(16, 0.05f, 0.5f, 1);
        for (Tensor a : new Tensor[] {perChannel, shared}) {
            String what = "prelu " + Arrays.toString(a.shape());
            CHECK.check(what, in -> Ops.prelu(in[0], in[1]), x, a);
            // x * a is bilinear on the negative side: the mixed second derivative is not zero
            CHECK.checkSecondOrder(what, in -> Ops.prelu(in[0], in[1]), x, a);
            CHECK.checkSecondOrder(what + " squared", in -> Ops.prelu(in[0], in[1]).square(), x, a);
        }
        Tensor flat = awayFromZero(17, 0.1f, 2f, 5, 4);
        CHECK.check("prelu [N, C]", in -> Ops.prelu(in[0], in[1]), flat, uniform(18, 0.1f, 0.3f, 4));
        // forward against the definition
        float[] xv = x.toArray();
        float[] av = perChannel.toArray();
        float[] y = Ops.prelu(x, perChannel).toArray();
        for (int i = 0; i < xv.length; i++) {
            int c = (i / 6) % 3;
            assertEquals(xv[i] > 0 ? xv[i] : av[c] * xv[i], y[i], 1e-6f);
        }
    }

    @Test
    void dropoutWithAFixedGenerator() {
        Tensor x = randn(19, 3, 4, 5);
        CHECK.check("dropout", in -> Ops.dropout(in[0], 0.3f, new Generator(77)), x);
        CHECK.checkSecondOrder("dropout", in -> Ops.dropout(in[0], 0.3f, new Generator(77)).square(), x);
        // inverted dropout: kept values scaled by 1 / (1 - p), the rest exactly 0
        float[] xv = x.toArray();
        float[] y = Ops.dropout(x, 0.3f, new Generator(77)).toArray();
        int zeros = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0f) {
                zeros++;
            } else {
                assertEquals(xv[i] / 0.7f, y[i], 1e-5f);
            }
        }
        assertTrue(zeros > 0 && zeros < y.length, "some but not all dropped: " + zeros);
        assertArrayEquals(y, Ops.dropout(x, 0.3f, new Generator(77)).toArray(), "same generator, same mask");
        assertTrue(x == Ops.dropout(x, 0f, new Generator(1)), "p = 0 is the identity");
    }
}
