package io.gan4j.core.tensor;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.loss.NonSaturatingLoss;
import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.ConvTranspose2d;
import io.gan4j.core.nn.Flatten;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Reshape;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.nn.Tanh;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Same seed, same bits, across runs and thread counts, for what {@link DeterminismTest} leaves out: dropout,
 * GEMM in every transpose/batched/GEMV form, the conv layers of dcgan-mnist forward and backward, the fused
 * Adam step, and a few D and G steps of a tiny DCGAN built from the nn layers. Each body runs on fresh
 * backends with 1, 2, 3 and 4 threads (4 > cores here: uneven splits), twice.
 */
class TrainingDeterminismTest {

    private static void assertSameBits(String what, Function<Backend, List<float[]>> body) {
        List<float[]> reference = null;
        Backend saved = Device.current();
        try {
            for (int run = 0; run < 2; run++) {
                for (int threads = 1; threads <= 4; threads++) {
                    try (CpuBackend be = new CpuBackend(threads); MemoryScope scope = MemoryScope.open()) {
                        // layers and losses create their tensors on the current device
                        Device.use(be);
                        List<float[]> got = body.apply(be);
                        if (reference == null) {
                            reference = got;
                            continue;
                        }
                        assertEquals(reference.size(), got.size());
                        for (int i = 0; i < got.size(); i++) {
                            assertArrayEquals(reference.get(i), got.get(i),
                                    what + ": result " + i + " differs with " + threads + " threads (run " + run + ")");
                        }
                    }
                }
            }
        } finally {
            Device.use(saved);
        }
    }

    @Test
    void dropoutMaskAndGradient() {
        assertSameBits("dropout", be -> {
            Tensor x = Tensor.randn(be, new Generator(1), 0f, 1f, 33, 1001).requiresGrad(true);
            Generator g = new Generator(2);
            Tensor y = Ops.dropout(x, 0.3f, g);
            Tensor y2 = Ops.dropout(x, 0.5f, g);   // the generator moved on: a different mask, the same each run
            y.add(y2).square().sum().backward();
            assertFalse(java.util.Arrays.equals(y.toArray(), Ops.dropout(x, 0.3f, g).toArray()));
            return List.of(y.toArray(), y2.toArray(), x.grad().toArray());
        });
    }

    @Test
    void gemmEveryForm() {
        assertSameBits("gemm", be -> {
            Generator g = new Generator(3);
            List<float[]> r = new ArrayList<>();
            // odd sizes that straddle any blocking, each transpose combination
            int m = 67;
            int n = 301;
            int k = 129;
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = ta ? Tensor.randn(be, g, 0f, 1f, k, m) : Tensor.randn(be, g, 0f, 1f, m, k);
                    Tensor b = tb ? Tensor.randn(be, g, 0f, 1f, n, k) : Tensor.randn(be, g, 0f, 1f, k, n);
                    r.add(Ops.matmul(a, b, ta, tb).toArray());
                }
            }
            // batched, and the GEMV paths (m = 1, n = 1), with a long k
            r.add(Ops.matmul(Tensor.randn(be, g, 0f, 1f, 3, 40, 50), Tensor.randn(be, g, 0f, 1f, 3, 50, 60),
                    false, false).toArray());
            r.add(Ops.matmul(Tensor.randn(be, g, 0f, 1f, 1, 4099), Tensor.randn(be, g, 0f, 1f, 4099, 257),
                    false, false).toArray());
            r.add(Ops.matmul(Tensor.randn(be, g, 0f, 1f, 257, 4099), Tensor.randn(be, g, 0f, 1f, 1, 4099),
                    false, true).toArray());
            // the dcgan-mnist D head: [N, 6272] x [1, 6272]^T, and its backward
            Tensor h = Tensor.randn(be, g, 0f, 1f, 16, 6272).requiresGrad(true);
            Tensor w = Tensor.randn(be, g, 0f, 0.02f, 1, 6272).requiresGrad(true);
            Ops.linear(h, w, null).sum().backward();
            r.add(h.grad().toArray());
            r.add(w.grad().toArray());
            return r;
        });
    }

    @Test
    void dcganMnistConvLayersForwardAndBackward() {
        assertSameBits("conv", be -> {
            Generator g = new Generator(4);
            List<float[]> r = new ArrayList<>();
            // D conv 1 -> 16 k5 s2 p2 on 28x28, G convT 16 -> 8 k5 s2 p2 op1 (14 -> 28): fewer channels than
            // the workload, the same geometry; batch 3 so that the batch does not split evenly
            Tensor x = Tensor.randn(be, g, 0f, 1f, 3, 1, 28, 28).requiresGrad(true);
            Tensor w = Tensor.randn(be, g, 0f, 0.1f, 16, 1, 5, 5).requiresGrad(true);
            Tensor wt = Tensor.randn(be, g, 0f, 0.1f, 16, 8, 5, 5).requiresGrad(true);
            Tensor y = Ops.conv2d(x, w, 2, 2);
            Tensor z = Ops.convTranspose2d(y, wt, 2, 2, 1);
            z.backward(Tensor.randn(be, g, 0f, 1f, z.shape()));
            r.add(y.toArray());
            r.add(z.toArray());
            r.add(x.grad().toArray());
            r.add(w.grad().toArray());
            r.add(wt.grad().toArray());
            return r;
        });
    }

    @Test
    void fusedAdamSteps() {
        assertSameBits("adam", be -> {
            Generator g = new Generator(5);
            Tensor p = Tensor.randn(be, g, 0f, 1f, 70_001).requiresGrad(true);
            Adam adam = new Adam(List.of(p), Adam.Config.defaults().withLr(2e-4f).withBetas(0.5f, 0.999f));
            for (int step = 0; step < 3; step++) {
                adam.zeroGrad();
                p.square().mul(Tensor.randn(be, g, 0f, 1f, p.shape())).sum().backward();
                adam.step();
            }
            return List.of(p.toArray());
        });
    }

    /** A tiny DCGAN (latent 8, 1x8x8 images): three D and G steps with Adam and the non-saturating loss. */
    @Test
    void tinyGanTrainingSteps() {
        assertSameBits("tiny gan", be -> {
            Generator g = new Generator(6);
            Sequential gen = new Sequential(
                    new Linear(8, 16 * 2 * 2, false, g), new Reshape(16, 2, 2), new BatchNorm2d(16), new ReLU(),
                    new ConvTranspose2d(16, 8, 4, 2, 1, 0, false, g), new BatchNorm2d(8), new ReLU(),
                    new ConvTranspose2d(8, 1, 4, 2, 1, 0, false, g), new Tanh());
            Sequential disc = new Sequential(
                    new Conv2d(1, 8, 4, 2, 1, g), new LeakyReLU(0.2f),
                    new Conv2d(8, 16, 4, 2, 1, g), new LeakyReLU(0.2f),
                    new Flatten(), new Linear(16 * 2 * 2, 1, g));
            Adam.Config cfg = Adam.Config.defaults().withLr(2e-4f).withBetas(0.5f, 0.999f);
            Adam optG = new Adam(gen.parameters(), cfg);
            Adam optD = new Adam(disc.parameters(), cfg);
            NonSaturatingLoss loss = new NonSaturatingLoss();
            List<float[]> r = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                try (MemoryScope s = MemoryScope.open()) {
                    Tensor real = Tensor.rand(be, g, -1f, 1f, 5, 1, 8, 8);
                    Tensor z = Tensor.randn(be, g, 0f, 1f, 5, 8);
                    optD.zeroGrad();
                    Tensor fake = gen.forward(z);
                    Tensor dLoss = loss.discriminatorLoss(disc.forward(real), disc.forward(fake.detach()));
                    dLoss.backward();
                    optD.step();
                    optG.zeroGrad();
                    Tensor gLoss = loss.generatorLoss(disc.forward(fake));
                    gLoss.backward();
                    optG.step();
                    r.add(new float[] {dLoss.item(), gLoss.item()});
                }
            }
            for (Tensor t : gen.stateDict().values()) {
                r.add(t.toArray());
            }
            for (Tensor t : disc.stateDict().values()) {
                r.add(t.toArray());
            }
            return r;
        });
    }
}
