package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.Device;
import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.ConvTranspose2d;
import io.gan4j.core.nn.Flatten;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.PixelShuffle;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.nn.Tanh;
import io.gan4j.core.nn.Upsample;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The CPU backend reuses the arrays of closed buffers: a reused array must never leak its old contents. */
class ArrayPoolTest {
    private static final int LARGE = ArrayPool.MIN_LENGTH + 3;

    @Test
    void allocateZeroesAReusedArrayAndAllocateUninitializedReusesIt() {
        try (CpuBackend be = new CpuBackend(2)) {
            long before = be.bytesInUse();
            Buffer b = be.allocate(LARGE);
            float[] array = ((CpuBuffer) b).array();
            java.util.Arrays.fill(array, Float.NaN);
            b.close();
            Buffer again = be.allocate(LARGE);
            assertSame(array, ((CpuBuffer) again).array(), "the closed buffer's array is reused");
            assertArrayEquals(new float[LARGE], array, "allocate returns zeros, whatever the array held");
            again.close();
            Buffer uninitialized = be.allocateUninitialized(LARGE);
            assertSame(array, ((CpuBuffer) uninitialized).array());
            assertEquals(before + (long) LARGE * Float.BYTES, be.bytesInUse(), "kept arrays are not in use");
        }
    }

    @Test
    void smallArraysAreNotKept() {
        try (CpuBackend be = new CpuBackend(1)) {
            Buffer b = be.allocate(ArrayPool.MIN_LENGTH - 1);
            float[] array = ((CpuBuffer) b).array();
            b.close();
            assertNotSame(array, ((CpuBuffer) be.allocate(ArrayPool.MIN_LENGTH - 1)).array());
        }
    }

    @Test
    void keptMemoryIsBounded() {
        ArrayPool pool = new ArrayPool();
        int length = 1 << 22;   // 16 MiB
        for (int i = 0; i < 20; i++) {
            pool.give(new float[length]);
        }
        assertEquals(ArrayPool.MAX_BYTES, pool.bytes(), "16 arrays of 16 MiB fill the 256 MiB, the rest are dropped");
        assertEquals(length, pool.take(length).length);
        assertEquals(ArrayPool.MAX_BYTES - (long) length * Float.BYTES, pool.bytes());
        assertEquals(null, pool.take(length + 1), "only an array of the exact length is taken");
    }

    /**
     * Every op that writes into an uninitialised output must overwrite all of it. Training on one backend first
     * with other data leaves stale activations and gradients in the kept arrays; the second training must then
     * give exactly what it gives on a fresh backend. The layers cover convolution, transposed convolution, batch
     * norm, upsampling, pixel shuffle, matrix products, elementwise ops, reductions and Adam, all on tensors above
     * the pool's size threshold.
     */
    @Test
    void trainingOnReusedArraysIsBitIdenticalToAFreshBackend() {
        try (CpuBackend shared = new CpuBackend(2); CpuBackend fresh = new CpuBackend(2)) {
            train(shared, 1);
            List<float[]> reused = train(shared, 2);
            List<float[]> clean = train(fresh, 2);
            assertEquals(clean.size(), reused.size());
            for (int i = 0; i < clean.size(); i++) {
                assertArrayEquals(clean.get(i), reused.get(i), "tensor " + i);
            }
        }
    }

    /** Three Adam steps on random images drawn with {@code dataSeed}; the losses, parameters and buffers after. */
    private static List<float[]> train(Backend be, long dataSeed) {
        Device.use(be);
        try (Module net = network(new Generator(3))) {
            Adam adam = new Adam(net.parameters(), Adam.Config.defaults().withLr(1e-2f));
            Generator data = new Generator(dataSeed);
            List<float[]> out = new ArrayList<>();
            for (int step = 0; step < 3; step++) {
                try (MemoryScope scope = MemoryScope.open()) {
                    adam.zeroGrad();
                    Tensor x = Tensor.randn(be, data, 0f, 1f, 16, 3, 32, 32);
                    Tensor loss = net.forward(x).square().mean();
                    loss.backward();
                    adam.step();
                    out.add(loss.toArray());
                }
            }
            for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
                out.add(e.getValue().toArray());
            }
            adam.close();
            return out;
        } finally {
            Device.use(null);
        }
    }

    private static Module network(Generator g) {
        return new Sequential(
                new Conv2d(3, 32, 3, 1, 1, g),                  // [16, 32, 32, 32]
                new BatchNorm2d(32),
                new LeakyReLU(0.2f),
                new Conv2d(32, 32, 4, 2, 1, g),                 // [16, 32, 16, 16]
                new ConvTranspose2d(32, 16, 4, 2, 1, g),        // [16, 16, 32, 32]
                new Upsample(2),                                // [16, 16, 64, 64]
                new PixelShuffle(2),                            // [16, 4, 128, 128]
                new Tanh(),
                new Conv2d(4, 4, 4, 4, 0, g),                   // [16, 4, 32, 32]
                new Flatten(),
                new Linear(4 * 32 * 32, 16, g));                // weight 65,536 floats
    }
}
