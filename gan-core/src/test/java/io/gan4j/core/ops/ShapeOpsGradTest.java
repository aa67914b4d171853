package io.gan4j.core.ops;

import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.distinct;
import static io.gan4j.core.ops.OpsTesting.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gradient checks of the ops that move, join or reduce elements. Each is composed with a smooth
 * function (square, tanh) so that its second derivative is not trivially zero.
 */
class ShapeOpsGradTest {

    private static void both(String what, java.util.function.Function<Tensor[], Tensor> f, Tensor... xs) {
        CHECK.check(what, f, xs);
        CHECK.checkSecondOrder(what, in -> f.apply(in).square(), xs);
    }

    @Test
    void reshapeAndView() {
        Tensor x = randn(1, 2, 3, 5);
        both("reshape", in -> in[0].reshape(5, -1).tanh(), x);
        both("view", in -> in[0].view(-1).mul(in[0].view(30)), x);
    }

    @Test
    void sliceAlongTheBatch() {
        Tensor x = randn(2, 5, 3, 2);
        both("slice [1,4)", in -> in[0].slice(1, 4), x);
        both("slice [0,1)", in -> in[0].slice(0, 1), x);
        both("slice [4,5)", in -> in[0].slice(4, 5), x);
        both("slice all", in -> in[0].slice(0, 5), x);
    }

    @Test
    void narrowAnyAxis() {
        Tensor x = randn(3, 3, 5, 4);
        both("narrow axis 0", in -> Ops.narrow(in[0], 0, 1, 2), x);
        both("narrow axis 1", in -> Ops.narrow(in[0], 1, 2, 3), x);
        both("narrow axis -1", in -> Ops.narrow(in[0], -1, 0, 1), x);
        both("narrow everything", in -> Ops.narrow(in[0], 2, 0, 4), x);
        both("pad", in -> Ops.pad(in[0], 1, 2, 1), x);
    }

    @Test
    void concatAndStack() {
        Tensor a = randn(4, 2, 3, 2);
        Tensor b = randn(5, 2, 1, 2);
        Tensor c = randn(6, 2, 4, 2);
        both("concat axis 1", in -> Ops.concat(1, in[0], in[1], in[2]), a, b, c);
        both("concat axis 0", in -> Ops.concat(0, in[0], in[1]), randn(7, 1, 3), randn(8, 3, 3));
        both("concat axis -1", in -> Ops.concat(-1, in[0], in[1]), randn(9, 3, 1), randn(10, 3, 2));
        both("concat with itself", in -> Ops.concat(1, in[0], in[0]), a);
        Tensor d = randn(11, 3, 2);
        Tensor e = randn(12, 3, 2);
        both("stack axis 0", in -> Ops.stack(0, in[0], in[1]), d, e);
        both("stack axis 1", in -> Ops.stack(1, in[0], in[1]), d, e);
        both("stack axis -1", in -> Ops.stack(-1, in[0], in[1]), d, e);
    }

    @Test
    void concatWithAnInputThatNeedsNoGradient() {
        Tensor a = randn(13, 2, 3).requiresGrad(true);
        Tensor b = randn(14, 2, 2);
        Ops.concat(1, a, b).square().sum().backward();
        float[] av = a.toArray();
        float[] g = a.grad().toArray();
        for (int i = 0; i < av.length; i++) {
            assertEquals(2 * av[i], g[i], 1e-6f);
        }
    }

    @Test
    void permuteAndTranspose() {
        Tensor x = randn(15, 2, 3, 1, 5);
        both("permute", in -> in[0].permute(3, 0, 2, 1), x);
        both("permute negative", in -> in[0].permute(-1, -2, -3, -4), x);
        both("transpose", in -> in[0].transpose(1, 3), x);
        both("matrix transpose", in -> in[0].transpose(0, 1), randn(16, 3, 4));
    }

    @Test
    void expand() {
        both("expand [3,1] to [2,3,4]", in -> in[0].expand(2, 3, 4), randn(17, 3, 1));
        both("expand scalar", in -> in[0].expand(2, 3), randn(18));
        both("expand [1,1,5]", in -> in[0].expand(3, 2, 5), randn(19, 1, 1, 5));
    }

    @Test
    void sumToAndSums() {
        Tensor x = randn(20, 3, 4, 5);
        both("sumTo [4,1]", in -> Ops.sumTo(in[0], new int[] {4, 1}), x);
        both("sumTo [3,1,5]", in -> Ops.sumTo(in[0], new int[] {3, 1, 5}), x);
        both("sum all", in -> in[0].sum(), x);
        both("mean all", in -> in[0].mean(), x);
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] axesList = {{0}, {1}, {2}, {-1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (int[] axes : axesList) {
            for (boolean keep : new boolean[] {false, true}) {
                int[] shape = OpsTesting.randomShape(rnd, 3, 5);
                Tensor y = randn(21 + rnd.nextInt(100), shape);
                String what = Arrays.toString(axes) + " keepDims=" + keep + " of " + Arrays.toString(shape);
                both("sum " + what, in -> in[0].sum(axes, keep), y);
                both("mean " + what, in -> in[0].mean(axes, keep), y);
            }
        }
    }

    @Test
    void reductionShapes() {
        Tensor x = randn(22, 2, 3, 4);
        assertArrayEquals(new int[] {2, 4}, x.sum(1).shape());
        assertArrayEquals(new int[] {2, 1, 4}, x.sum(new int[] {1}, true).shape());
        assertArrayEquals(new int[] {3}, x.mean(new int[] {0, 2}, false).shape());
        assertArrayEquals(new int[] {}, x.sum().shape());
        assertArrayEquals(new int[] {1, 1, 1}, x.max(new int[] {0, 1, 2}, true).shape());
        assertArrayEquals(new int[] {2, 3}, x.max(-1).shape());
    }

    @Test
    void maxWithoutTies() {
        Tensor x = distinct(23, 0.1f, 3, 4, 5);
        for (int[] axes : new int[][] {{0}, {1}, {2}, {0, 2}, {0, 1, 2}}) {
            for (boolean keep : new boolean[] {false, true}) {
                String what = "max " + Arrays.toString(axes) + " keepDims=" + keep;
                CHECK.check(what, in -> in[0].max(axes, keep), x);
                CHECK.checkSecondOrder(what, in -> in[0].max(axes, keep).square(), x);
            }
        }
    }

    @Test
    void maxSharesTheGradientBetweenTies() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 2, 0, 0}, 2, 3).requiresGrad(true);
        x.max(1).sum().backward();
        assertArrayEquals(new float[] {0, 0.5f, 0.5f, 1, 0, 0}, x.grad().toArray());
    }
}
