package io.gan4j.core.tensor;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.ops.Ops;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Same seed, same bits: on the CPU backend results are identical across runs and across thread counts.
 * Sizes are large enough that the kernels really split their work between threads.
 */
class DeterminismTest {

    /** Runs {@code body} on fresh backends with 1, 2 and 3 threads, twice each, and asserts identical results. */
    private static void assertSameBits(String what, Function<Backend, List<float[]>> body) {
        List<float[]> reference = null;
        for (int run = 0; run < 2; run++) {
            for (int threads = 1; threads <= 3; threads++) {
                try (CpuBackend be = new CpuBackend(threads); MemoryScope scope = MemoryScope.open()) {
                    List<float[]> got = body.apply(be);
                    if (reference == null) {
                        reference = got;
                        continue;
                    }
                    assertEquals(reference.size(), got.size());
                    for (int i = 0; i < got.size(); i++) {
                        // assertArrayEquals on float[] compares bit patterns via Float.equals semantics
                        assertArrayEquals(reference.get(i), got.get(i),
                                what + ": result " + i + " differs with " + threads + " threads (run " + run + ")");
                    }
                }
            }
        }
    }

    @Test
    void randomGeneration() {
        assertSameBits("random", be -> {
            Generator g = new Generator(2024);
            return List.of(
                    Tensor.randn(be, g, 0f, 1f, 70_001).toArray(),
                    Tensor.rand(be, g, -1f, 1f, 50_003).toArray(),
                    Tensor.bernoulli(be, g, 0.3f, 40_000).toArray(),
                    Tensor.randn(be, new Generator(2024).fork(7), 0f, 0.02f, 128, 64, 5, 5).toArray());
        });
    }

    @Test
    void smallConvNetForwardAndBackward() {
        assertSameBits("conv net", be -> {
            Generator g = new Generator(11);
            Tensor x = Tensor.randn(be, g, 0f, 1f, 8, 3, 16, 16);
            Tensor w1 = Tensor.randn(be, g, 0f, 0.1f, 16, 3, 5, 5).requiresGrad(true);
            Tensor gamma = Tensor.ones(be, 16).requiresGrad(true);
            Tensor beta = Tensor.zeros(be, 16).requiresGrad(true);
            Tensor w2 = Tensor.randn(be, g, 0f, 0.1f, 8, 16, 4, 4).requiresGrad(true);
            Tensor wt = Tensor.randn(be, g, 0f, 0.1f, 8, 4, 4, 4).requiresGrad(true);
            Tensor fc = Tensor.randn(be, g, 0f, 0.1f, 1, 4 * 8 * 8).requiresGrad(true);
            Tensor rm = Tensor.zeros(be, 16);
            Tensor rv = Tensor.ones(be, 16);
            Tensor h = Ops.conv2d(x, w1, 2, 2);
            h = Ops.batchNorm(h, gamma, beta, rm, rv, 0.1f, 1e-5f).leakyRelu(0.2f);
            h = Ops.conv2d(h, w2, 2, 1).relu();
            h = Ops.convTranspose2d(h, wt, 2, 1, 0).tanh();
            Tensor out = Ops.linear(h.reshape(8, -1), fc, null);
            Tensor loss = out.softplus().mean();
            loss.backward();
            List<float[]> r = new ArrayList<>();
            r.add(out.toArray());
            for (Tensor p : new Tensor[] {w1, gamma, beta, w2, wt, fc}) {
                r.add(p.grad().toArray());
            }
            r.add(rm.toArray());
            r.add(rv.toArray());
            return r;
        });
    }

    @Test
    void reductions() {
        assertSameBits("reductions", be -> {
            Tensor x = Tensor.randn(be, new Generator(5), 0f, 1f, 64, 3000);
            Tensor y = Tensor.randn(be, new Generator(6), 0f, 1f, 40, 50, 30);
            return List.of(
                    x.sum().toArray(),
                    x.sum(1).toArray(),
                    x.sum(0).toArray(),
                    x.mean(new int[] {0, 1}, true).toArray(),
                    x.max(1).toArray(),
                    y.sum(new int[] {0, 2}, false).toArray(),
                    y.max(new int[] {1}, false).toArray(),
                    y.mean(2).toArray());
        });
    }

    @Test
    void batchNorm() {
        assertSameBits("batch norm", be -> {
            Tensor x = Tensor.randn(be, new Generator(8), 3f, 2f, 16, 32, 12, 12).requiresGrad(true);
            Tensor gamma = Tensor.rand(be, new Generator(9), 0.5f, 1.5f, 32).requiresGrad(true);
            Tensor beta = Tensor.randn(be, new Generator(10), 0f, 1f, 32).requiresGrad(true);
            Tensor rm = Tensor.zeros(be, 32);
            Tensor rv = Tensor.ones(be, 32);
            Tensor y = Ops.batchNorm(x, gamma, beta, rm, rv, 0.1f, 1e-5f);
            y.backward(Tensor.randn(be, new Generator(11), 0f, 1f, y.shape()));
            Tensor inference = Ops.batchNormInference(x.detach(), gamma.detach(), beta.detach(), rm, rv, 1e-5f);
            return List.of(y.toArray(), x.grad().toArray(), gamma.grad().toArray(), beta.grad().toArray(),
                    rm.toArray(), rv.toArray(), inference.toArray());
        });
    }

    @Test
    void elementwiseAndLargeMatmul() {
        assertSameBits("elementwise + gemm", be -> {
            Tensor a = Tensor.randn(be, new Generator(12), 0f, 1f, 300, 200);
            Tensor b = Tensor.randn(be, new Generator(13), 0f, 1f, 200, 150);
            Tensor bias = Tensor.randn(be, new Generator(14), 0f, 1f, 150);
            Tensor c = a.matmul(b).add(bias).sigmoid();
            return List.of(c.toArray(), a.permute(1, 0).exp().toArray());
        });
    }
}
