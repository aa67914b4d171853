package io.gan4j.core.nn;

import io.gan4j.core.autograd.GradCheck;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.gan4j.core.nn.NnTesting.awayFromZero;
import static io.gan4j.core.nn.NnTesting.checkGradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Output shapes, values on small cases, and finite-difference gradients of every layer. */
class LayersTest {
    private final Generator gen = new Generator(2024);

    @Test
    void linear() {
        Linear l = new Linear(3, 2, gen);
        assertArrayEquals(new int[] {2, 3}, l.weight().shape());
        l.setParameter("weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        l.setParameter("bias", Tensor.of(new float[] {10, 20}, 2));
        assertArrayEquals(new float[] {1 + 4 + 9 + 10, 4 + 10 + 18 + 20},
                l.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3)).toArray());
        checkGradients("Linear", new Linear(4, 3, gen), Tensor.randn(gen, 2, 4));
        checkGradients("Linear without bias", new Linear(4, 3, false, gen), Tensor.randn(gen, 2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(4, 3, gen).forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("Linear(in_features=4, out_features=3, bias=True): expected input [N, 4], got [2, 5]"),
                e.getMessage());
    }

    @Test
    void linearSecondOrder() {
        Linear l = new Linear(3, 2, gen);
        GradCheck.float32().checkSecondOrder("Linear+tanh", xs -> l.forward(xs[0]).tanh(), Tensor.randn(gen, 2, 3));
    }

    @Test
    void conv2d() {
        Conv2d c = new Conv2d(2, 3, 3, 2, 1, gen);
        assertArrayEquals(new int[] {3, 2, 3, 3}, c.weight().shape());
        assertArrayEquals(new int[] {2, 3, 3, 3}, c.forward(Tensor.zeros(2, 2, 5, 5)).shape());
        // dcgan-mnist discriminator: 28 -> 14 -> 7
        assertArrayEquals(new int[] {1, 64, 14, 14}, new Conv2d(1, 64, 5, 2, 2, gen).forward(Tensor.zeros(1, 1, 28, 28)).shape());
        checkGradients("Conv2d", c, Tensor.randn(gen, 2, 2, 5, 5));
        checkGradients("Conv2d without bias", new Conv2d(2, 2, 3, 1, 0, false, gen), Tensor.randn(gen, 1, 2, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 3, 5, 5)));
        assertTrue(e.getMessage().contains("expected input [N, 2, H, W], got [2, 3, 5, 5]"), e.getMessage());
    }

    @Test
    void convTranspose2d() {
        ConvTranspose2d c = new ConvTranspose2d(3, 2, 3, 2, 1, 1, true, gen);
        assertArrayEquals(new int[] {3, 2, 3, 3}, c.weight().shape());      // PyTorch: [in, out, k, k]
        assertArrayEquals(new int[] {2, 2, 6, 6}, c.forward(Tensor.zeros(2, 3, 3, 3)).shape());
        // dcgan-mnist generator: 7 -> 7 -> 14 -> 28
        assertArrayEquals(new int[] {1, 8, 7, 7}, new ConvTranspose2d(4, 8, 5, 1, 2, gen).forward(Tensor.zeros(1, 4, 7, 7)).shape());
        assertArrayEquals(new int[] {1, 8, 14, 14},
                new ConvTranspose2d(4, 8, 5, 2, 2, 1, false, gen).forward(Tensor.zeros(1, 4, 7, 7)).shape());
        checkGradients("ConvTranspose2d", c, Tensor.randn(gen, 2, 3, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 2, 3, 2, 1, 2, true, gen));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 2, 3, 3)));
        assertTrue(e.getMessage().contains("ConvTranspose2d(3, 2") && e.getMessage().contains("got [2, 2, 3, 3]"), e.getMessage());
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm(3, 4);
        Tensor x = Tensor.randn(Tensor.zeros(1).backend(), gen, 5f, 3f, 2, 3, 4);
        float[] y = ln.forward(x).toArray();
        for (int sample = 0; sample < 2; sample++) {
            float[] part = java.util.Arrays.copyOfRange(y, sample * 12, sample * 12 + 12);
            assertEquals(0, NnTesting.mean(part), 1e-4);
            assertEquals(1, NnTesting.std(part), 1e-3);
        }
        // non-trivial affine parameters, so that their gradients are exercised
        ln.setParameter("weight", Tensor.randn(gen, 3, 4));
        ln.setParameter("bias", Tensor.randn(gen, 3, 4));
        checkGradients("LayerNorm", ln, Tensor.randn(gen, 2, 3, 4));
        LayerNorm last = new LayerNorm(4);
        GradCheck.float32().checkSecondOrder("LayerNorm", xs -> last.forward(xs[0]), Tensor.randn(gen, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 4, 3)));
        assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", last.toString());
    }

    @Test
    void embedding() {
        Embedding e = new Embedding(10, 4, gen);
        float[] w = e.weight().toArray();
        float[] y = e.forward(Tensor.of(new float[] {3, 0, 9}, 3)).toArray();
        for (int j = 0; j < 4; j++) {
            assertEquals(w[3 * 4 + j], y[j]);
            assertEquals(w[j], y[4 + j]);
            assertEquals(w[9 * 4 + j], y[8 + j]);
        }
        assertArrayEquals(new int[] {2, 3, 4}, e.forward(Tensor.zeros(2, 3)).shape());
        checkGradients("Embedding", e, Tensor.of(new float[] {1, 7, 1, 2}, 4), false);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {10}, 1)));
        assertTrue(bad.getMessage().contains("not an integer in [0, 10)"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.forward(Tensor.of(new float[] {1.5f}, 1)));
    }

    @Test
    void activations() {
        Tensor x = awayFromZero(gen, 2, 3, 2, 2);
        checkGradients("ReLU", new ReLU(), x);
        checkGradients("LeakyReLU", new LeakyReLU(0.2f), x);
        checkGradients("Tanh", new Tanh(), x);
        checkGradients("Sigmoid", new Sigmoid(), x);
        checkGradients("PReLU shared", new PReLU(), x);
        PReLU perChannel = new PReLU(3);
        perChannel.setParameter("weight", Tensor.of(new float[] {0.1f, 0.25f, -0.3f}, 3));
        checkGradients("PReLU per channel", perChannel, x);
        assertArrayEquals(new float[] {-0.5f, 2f}, new PReLU(1, 0.25f).forward(Tensor.of(new float[] {-2, 2}, 2)).toArray());
        assertArrayEquals(new float[] {-0.4f, 2f}, new LeakyReLU(0.2f).forward(Tensor.of(new float[] {-2, 2}, 2)).toArray(), 1e-6f);
        assertArrayEquals(new float[] {0f, 2f}, new ReLU().forward(Tensor.of(new float[] {-2, 2}, 2)).toArray());
        assertThrows(IllegalArgumentException.class, () -> perChannel.forward(Tensor.zeros(2, 4)));
    }

    @Test
    void reshapingLayers() {
        Tensor x = Tensor.randn(gen, 2, 8, 3, 3);
        assertArrayEquals(new int[] {2, 72}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 2, 6, 6}, new PixelShuffle(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 8, 6, 6}, new Upsample(2).forward(x).shape());
        assertArrayEquals(new int[] {2, 256, 7, 7}, new Reshape(256, 7, 7).forward(Tensor.zeros(2, 12544)).shape());
        assertArrayEquals(new int[] {2, 4, 18}, new Reshape(4, -1).forward(x).shape());
        checkGradients("Flatten", new Flatten(), x);
        checkGradients("Reshape", new Reshape(4, -1), x);
        checkGradients("PixelShuffle", new PixelShuffle(2), x);
        checkGradients("Upsample", new Upsample(2), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PixelShuffle(3).forward(x));
        assertTrue(e.getMessage().contains("PixelShuffle(upscale_factor=3): expected input [N, C*9, H, W], got [2, 8, 3, 3]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Reshape(5, 5).forward(x));
    }

    @Test
    void sequentialAndResidual() {
        Sequential body = new Sequential(new Conv2d(2, 2, 3, 1, 1, gen), new Tanh());
        Residual r = new Residual(body);
        Tensor x = Tensor.randn(gen, 1, 2, 4, 4);
        float[] expected = x.add(body.forward(x)).toArray();
        assertArrayEquals(expected, r.forward(x).toArray(), 1e-6f);
        assertEquals(java.util.List.of("body.0.weight", "body.0.bias"), new java.util.ArrayList<>(r.stateDict().keySet()));
        checkGradients("Residual", r, x);
        assertEquals(2, body.size());
        assertTrue(body.get(1) instanceof Tanh);
        assertThrows(IllegalArgumentException.class,
                () -> new Residual(new Conv2d(2, 3, 3, 1, 1, gen)).forward(x));
    }
}
