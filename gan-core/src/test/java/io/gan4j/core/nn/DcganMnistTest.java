package io.gan4j.core.nn;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dcgan-mnist} workload of DESIGN.md, built from these layers. */
class DcganMnistTest {

    /** Generator as in the TensorFlow DCGAN tutorial: no bias before batch norm, nor in the last layer. */
    static Sequential generator(Generator g) {
        return new Sequential(
                new Linear(100, 7 * 7 * 256, false, g), new BatchNorm1d(7 * 7 * 256), new ReLU(),
                new Reshape(256, 7, 7),
                new ConvTranspose2d(256, 128, 5, 1, 2, 0, false, g), new BatchNorm2d(128), new ReLU(),
                new ConvTranspose2d(128, 64, 5, 2, 2, 1, false, g), new BatchNorm2d(64), new ReLU(),
                new ConvTranspose2d(64, 1, 5, 2, 2, 1, false, g), new Tanh());
    }

    static Sequential discriminator(Generator g) {
        return new Sequential(
                new Conv2d(1, 64, 5, 2, 2, g), new LeakyReLU(0.2f),
                new Conv2d(64, 128, 5, 2, 2, g), new LeakyReLU(0.2f),
                new Flatten(), new Linear(6272, 1, g));
    }

    @Test
    void generatorParameterCount() {
        Sequential gen = generator(new Generator(1));
        // Linear 100 * 12544                = 1,254,400
        // BatchNorm1d 2 * 12544             =    25,088
        // ConvT 256 * 128 * 5 * 5           =   819,200
        // BatchNorm2d 2 * 128               =       256
        // ConvT 128 * 64 * 5 * 5            =   204,800
        // BatchNorm2d 2 * 64                =       128
        // ConvT 64 * 1 * 5 * 5              =     1,600
        // total                             = 2,305,472 (the TF tutorial's trainable count; plus 25,472 running stats = 2,330,944)
        assertEquals(2_305_472, gen.parameterCount());
        long buffers = gen.namedBuffers().values().stream().mapToLong(Tensor::numel).sum();
        assertEquals(2 * (12544 + 128 + 64), buffers);
        assertEquals("0.weight", gen.namedParameters().keySet().iterator().next());
        assertTrue(gen.stateDict().containsKey("8.running_var"));
    }

    @Test
    void discriminatorParameterCount() {
        // Conv 1*64*25 + 64 = 1,664; Conv 64*128*25 + 128 = 204,928; Linear 6272 + 1 = 6,273; total 212,865
        assertEquals(212_865, discriminator(new Generator(2)).parameterCount());
    }

    @Test
    void shapesThroughBothNetworks() {
        Generator g = new Generator(3);
        Sequential gen = Init.dcgan(generator(g), g);
        Sequential disc = Init.dcgan(discriminator(g), g);
        Tensor z = Tensor.randn(g, 4, 100);
        Tensor images = gen.forward(z);
        assertArrayEquals(new int[] {4, 1, 28, 28}, images.shape());
        for (float v : images.toArray()) {
            assertTrue(v >= -1 && v <= 1);
        }
        Tensor logits = disc.forward(images);
        assertArrayEquals(new int[] {4, 1}, logits.shape());
        logits.mean().backward();
        for (Tensor p : gen.parameters()) {
            assertArrayEquals(p.shape(), p.grad().shape());
        }
        gen.eval();
        try (GradMode off = GradMode.disable()) {
            assertArrayEquals(new int[] {1, 1, 28, 28}, gen.forward(Tensor.randn(g, 1, 100)).shape());
        }
    }
}
