package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.gan4j.core.nn.NnTesting.maxAbs;
import static io.gan4j.core.nn.NnTesting.mean;
import static io.gan4j.core.nn.NnTesting.std;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitTest {

    private static Sequential model(Generator g) {
        return new Sequential(new Conv2d(3, 8, 4, 2, 1, g), new BatchNorm2d(8), new LeakyReLU(0.2f),
                new ConvTranspose2d(8, 4, 4, 2, 1, g), new Flatten(), new Linear(4 * 16, 2, g), new PReLU(),
                new Embedding(3, 2, g), new SpectralNorm(new Linear(2, 2, g), g));
    }

    @Test
    void sameSeedSameParameters() {
        Map<String, Tensor> a = model(new Generator(42)).stateDict();
        Map<String, Tensor> b = model(new Generator(42)).stateDict();
        Map<String, Tensor> c = model(new Generator(43)).stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toArray(), b.get(k).toArray(), k);
        }
        assertFalse(java.util.Arrays.equals(a.get("0.weight").toArray(), c.get("0.weight").toArray()));
        Sequential d1 = Init.dcgan(model(new Generator(1)), new Generator(7));
        Sequential d2 = Init.dcgan(model(new Generator(1)), new Generator(7));
        d1.stateDict().forEach((k, t) -> assertArrayEquals(t.toArray(), d2.stateDict().get(k).toArray(), k));
    }

    @Test
    void pytorchDefaultBounds() {
        Generator g = new Generator(3);
        Linear l = new Linear(100, 50, g);
        // kaiming_uniform(a = sqrt 5): bound = sqrt(3) * sqrt(2 / (1 + 5)) / sqrt(fan_in) = 1 / sqrt(fan_in)
        assertBound(l.weight().toArray(), 1 / Math.sqrt(100));
        assertBound(l.bias().toArray(), 1 / Math.sqrt(100));
        Conv2d c = new Conv2d(16, 32, 3, 1, 1, g);
        assertBound(c.weight().toArray(), 1 / Math.sqrt(16 * 9));
        // transposed convolution: weight [in, out, k, k], PyTorch's fan in is size(1) * k * k = out * k * k
        ConvTranspose2d ct = new ConvTranspose2d(64, 16, 4, 2, 1, g);
        assertBound(ct.weight().toArray(), 1 / Math.sqrt(16 * 16));
        assertBound(ct.bias().toArray(), 1 / Math.sqrt(16 * 16));
        Embedding e = new Embedding(100, 100, g);
        assertEquals(1.0, std(e.weight().toArray()), 0.03);
        assertArrayEquals(new float[] {0.25f}, new PReLU().weight().toArray());
    }

    /** All values within {@code ±bound}, and the largest close to it (a uniform sample fills its range). */
    private static void assertBound(float[] x, double bound) {
        double m = maxAbs(x);
        assertTrue(m <= bound + 1e-7, "max " + m + " > bound " + bound);
        assertTrue(m > 0.9 * bound, "max " + m + " far below bound " + bound);
    }

    @Test
    void distributions() {
        Generator g = new Generator(11);
        float[] n = Init.normal(Tensor.zeros(200_000), 0f, 0.02f, g).toArray();
        assertEquals(0, mean(n), 2e-4);
        assertEquals(0.02, std(n), 2e-4);
        float[] u = Init.uniform(Tensor.zeros(200_000), -2f, 3f, g).toArray();
        assertEquals(0.5, mean(u), 0.02);
        assertEquals(5 / Math.sqrt(12), std(u), 0.01);
        assertArrayEquals(new float[] {1.5f, 1.5f}, Init.constant(Tensor.zeros(2), 1.5f).toArray());
        assertArrayEquals(new float[] {1f, 1f}, Init.ones(Tensor.zeros(2)).toArray());
        assertArrayEquals(new float[] {0f, 0f}, Init.zeros(Tensor.ones(2)).toArray());
    }

    @Test
    void fanScaledInitialisers() {
        Generator g = new Generator(12);
        Tensor w = Tensor.zeros(256, 128, 3, 3);               // fan_in = 128 * 9, fan_out = 256 * 9
        assertArrayEquals(new int[] {128 * 9, 256 * 9}, Init.fans(w));
        Init.kaimingNormal(w, g);                              // std = sqrt(2) / sqrt(fan_in)
        assertEquals(Math.sqrt(2.0 / (128 * 9)), std(w.toArray()), 1e-3 * Math.sqrt(2.0 / (128 * 9)) * 10);
        Init.kaimingNormal(w, 0.2, Init.FanMode.FAN_OUT, Init.Nonlinearity.LEAKY_RELU, g);
        assertEquals(Math.sqrt(2.0 / 1.04) / Math.sqrt(256 * 9), std(w.toArray()), 1e-3);
        Init.kaimingUniform(w, g);
        assertBound(w.toArray(), Math.sqrt(3) * Math.sqrt(2.0 / (128 * 9)));
        Init.xavierUniform(w, Init.gain(Init.Nonlinearity.TANH, 0), g);
        assertBound(w.toArray(), 5.0 / 3 * Math.sqrt(6.0 / (128 * 9 + 256 * 9)));
        Init.xavierNormal(w, 1, g);
        assertEquals(Math.sqrt(2.0 / (128 * 9 + 256 * 9)), std(w.toArray()), 1e-3);
        assertEquals(Math.sqrt(2), Init.gain(Init.Nonlinearity.RELU, 0), 1e-12);
        assertEquals(1, Init.gain(Init.Nonlinearity.SIGMOID, 0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
    }

    @Test
    void dcganInitialisation() {
        Generator g = new Generator(13);
        Sequential m = new Sequential(new ConvTranspose2d(100, 64, 4, 1, 0, 0, false, g), new BatchNorm2d(64), new ReLU(),
                new Conv2d(64, 128, 4, 2, 1, g), new Linear(512, 64, g), new SpectralNorm(new Conv2d(8, 64, 4, 2, 1, g), g));
        Conv2d conv = (Conv2d) m.get(3);
        float[] convBias = conv.bias().toArray();
        Init.dcgan(m, new Generator(14));
        for (String k : new String[] {"0.weight", "3.weight", "4.weight", "5.weight_orig"}) {
            float[] w = m.stateDict().get(k).toArray();
            assertEquals(0, mean(w), 1e-3, k);
            assertEquals(0.02, std(w), 1e-3, k);
        }
        float[] gamma = m.stateDict().get("1.weight").toArray();
        assertEquals(1, mean(gamma), 0.01);
        assertEquals(0.02, std(gamma), 0.006);
        assertArrayEquals(new float[64], m.stateDict().get("1.bias").toArray());
        assertArrayEquals(convBias, conv.bias().toArray(), "other biases keep their values, as in the reference");
    }
}
