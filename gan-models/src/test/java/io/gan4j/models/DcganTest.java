package io.gan4j.models;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dcgan-64: the 64x64 DCGAN of Radford et al. as PyTorch's DCGAN example builds it. */
class DcganTest {

    @Test
    void generatorHasTheParameterCountOfThePyTorchExample() {
        // PyTorch examples, dcgan/main.py with nz=100, ngf=64, nc=3 (its printed model, summed):
        // ConvT 100*512*16 = 819,200 + BN 1,024; ConvT 512*256*16 = 2,097,152 + BN 512;
        // ConvT 256*128*16 = 524,288 + BN 256; ConvT 128*64*16 = 131,072 + BN 128; ConvT 64*3*16 = 3,072
        // total 3,576,704
        assertEquals(3_576_704, Dcgan.paper64().generator(new Generator(1)).parameterCount());
    }

    @Test
    void discriminatorHasTheParameterCountOfThePyTorchExample() {
        // same example, ndf=64: Conv 3*64*16 = 3,072; Conv 64*128*16 = 131,072 + BN 256;
        // Conv 128*256*16 = 524,288 + BN 512; Conv 256*512*16 = 2,097,152 + BN 1,024; Conv 512*1*16 = 8,192
        // total 2,765,568
        assertEquals(2_765_568, Dcgan.paper64().discriminator(new Generator(1)).parameterCount());
    }

    @Test
    void stateDictNamesAreThoseOfThePyTorchExample() {
        Module g = Dcgan.paper64().generator(new Generator(1));
        Module d = Dcgan.paper64().discriminator(new Generator(1));
        // netG.main: 0 ConvT, 1 BN, 2 ReLU, 3 ConvT, ..., 12 ConvT, 13 Tanh; netD.main: 0 Conv, 1 LReLU, 2 Conv, 3 BN, ...
        assertTrue(g.stateDict().keySet().containsAll(java.util.List.of("main.0.weight", "main.1.weight",
                "main.1.running_mean", "main.12.weight")), g.stateDict().keySet().toString());
        assertTrue(d.stateDict().keySet().containsAll(java.util.List.of("main.0.weight", "main.2.weight",
                "main.3.running_var", "main.11.weight")), d.stateDict().keySet().toString());
        assertEquals(0, g.namedParameters().keySet().stream().filter(k -> k.endsWith("bias") && !isBatchNorm(g, k)).count(),
                "DCGAN's convolutions have no bias");
    }

    private static boolean isBatchNorm(Module m, String key) {
        return m.stateDict().containsKey(key.replace("bias", "running_mean"));
    }

    @Test
    void shapesAt64x64() {
        Generator rng = new Generator(2);
        Module g = Dcgan.paper64().generator(rng);
        Module d = Dcgan.paper64().discriminator(rng);
        Tensor images = g.forward(Tensor.randn(rng, 2, 100));
        assertArrayEquals(new int[] {2, 3, 64, 64}, images.shape());
        assertArrayEquals(new int[] {2, 1}, d.forward(images).shape());
    }

    @Test
    void imageSizeAndChannelsAreConfigurable() {
        Generator rng = new Generator(3);
        Dcgan small = Dcgan.paper64().withImageSize(32).withChannels(1).withWidth(8);
        try (GradMode off = GradMode.disable()) {
            Tensor images = small.generator(rng).forward(Tensor.randn(rng, 2, 100));
            assertArrayEquals(new int[] {2, 1, 32, 32}, images.shape());
            assertArrayEquals(new int[] {2, 1}, small.discriminator(rng).forward(images).shape());
        }
        // 32x32: one stage fewer, widths 4ngf -> 2ngf -> ngf: ConvT 100*32*16 + BN 64 + ConvT 32*16*16 + BN 32
        // + ConvT 16*8*16 + BN 16 + ConvT 8*1*16 = 51,200 + 64 + 8,192 + 32 + 2,048 + 16 + 128 = 61,680
        assertEquals(61_680, small.generator(rng).parameterCount());
        assertThrows(IllegalArgumentException.class, () -> Dcgan.paper64().withImageSize(48));
    }

    @Test
    void trainsOnCpuWithoutNaN() {
        GanModel<Dcgan> tiny = Models.dcgan64().withArchitecture(a -> a.withImageSize(16).withWidth(8));
        TrainingProbe.trainAndCheck(tiny, 4,
                rng -> TrainingProbe.batches(TrainingProbe.randomImages(32, 3, 16, 1, 1), 8, 0, rng));
    }
}
