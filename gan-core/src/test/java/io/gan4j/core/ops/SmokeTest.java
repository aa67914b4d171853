package io.gan4j.core.ops;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void convAndMatmulGradients() {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, 2, 3, 7, 7);
        Tensor w = Tensor.randn(g, 4, 3, 5, 5).mul(0.2f);
        GradCheck.float32().check("conv", in -> Ops.conv2d(in[0], in[1], 2, 2), x, w);
        GradCheck.float32().checkSecondOrder("conv", in -> Ops.conv2d(in[0], in[1], 2, 2).square(), x, w);
        Tensor a = Tensor.randn(g, 3, 5);
        Tensor b = Tensor.randn(g, 4, 5);
        GradCheck.float32().check("linear", in -> Ops.matmul(in[0], in[1], false, true).tanh(), a, b);
        GradCheck.float32().checkSecondOrder("linear", in -> Ops.matmul(in[0], in[1], false, true).tanh(), a, b);
        Tensor ct = Tensor.randn(g, 2, 4, 4, 4);
        Tensor cw = Tensor.randn(g, 4, 3, 5, 5).mul(0.2f);
        GradCheck.float32().check("convT", in -> Ops.convTranspose2d(in[0], in[1], 2, 2, 1), ct, cw);
        GradCheck.float32().checkSecondOrder("convT", in -> Ops.convTranspose2d(in[0], in[1], 2, 2, 1).square(), ct, cw);
    }
}
