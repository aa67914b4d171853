package io.gan4j.models;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SRGAN: SRResNet x4, the 8-convolution discriminator, and a short CPU run with the VGG content loss. */
class SrganTest {

    @Test
    void srResNetX4HasItsParameterCount() {
        // SRResNet x4 (Ledig et al. 2017, fig. 4; 64 features, 16 blocks, biased convs, one PReLU slope each):
        // head   Conv 3*64*81 + 64 = 15,616, PReLU 1                                  =    15,617
        // blocks 16 * (2 * (Conv 64*64*9 + 64 = 36,928) + 2 * BN 128 + PReLU 1 = 74,113) = 1,185,808
        // body_tail Conv 36,928 + BN 128                                              =    37,056
        // upsample 2 * (Conv 64*256*9 + 256 = 147,712, PReLU 1)                       =   295,426
        // tail   Conv 64*3*81 + 3                                                     =    15,555
        // total 1,549,462 (the "1.5M" of the paper's SRResNet, section 3.2)
        assertEquals(1_549_462, Srgan.paper().generator(new Generator(1)).parameterCount());
    }

    @Test
    void discriminatorHasItsParameterCountAt96() {
        // Ledig et al. fig. 4, 96x96 crops, biased convs:
        // Conv 3->64 1,792; then conv + BN: 64->64 s2 37,056; 64->128 74,112; 128->128 s2 147,840;
        // 128->256 295,680; 256->256 s2 590,592; 256->512 1,181,184; 512->512 s2 2,360,832 (convs: 4,689,088)
        // Dense 512*6*6 -> 1024: 18,875,392; Dense 1024 -> 1: 1,025; total 23,565,505
        assertEquals(23_565_505, Srgan.paper().discriminator(new Generator(1)).parameterCount());
    }

    @Test
    void shapes() {
        Generator rng = new Generator(2);
        try (GradMode off = GradMode.disable()) {
            Module g = Srgan.paper().generator(rng);
            // 8x8 -> 32x32 keeps the test fast; the layers do not depend on the size
            assertArrayEquals(new int[] {1, 3, 32, 32}, g.forward(Tensor.randn(rng, 1, 3, 8, 8)).shape());
            Module d = Srgan.paper().discriminator(rng);
            assertArrayEquals(new int[] {1, 1}, d.forward(Tensor.randn(rng, 1, 3, 96, 96)).shape());
            Module x2 = Srgan.paper().withScale(2).withResidualBlocks(1).withFeatures(8).generator(rng);
            assertArrayEquals(new int[] {2, 3, 12, 12}, x2.forward(Tensor.randn(rng, 2, 3, 6, 6)).shape());
        }
    }

    @Test
    void trainsOnCpuWithVggContentLossWithoutNaN(@TempDir Path dir) throws Exception {
        Generator rng = new Generator(3);
        // a small VGG19 written by the test and loaded through the real loading code
        int[] widths = {4, 8, 8, 8, 8};
        Path file = dir.resolve("vgg19-small.safetensors");
        new Checkpoint().putAll("", new Vgg19Features(widths, "relu5_4", new Generator(9)).stateDict()).save(file);
        Vgg19Features vgg = new Vgg19Features(widths, "relu5_4", new Generator(10));
        vgg.loadWeights(file);

        Srgan tiny = Srgan.paper().withFeatures(8).withResidualBlocks(2).withDiscriminatorFeatures(8).withHrSize(16);
        SrganTrainingStep step = new SrganTrainingStep(tiny.generator(rng), tiny.discriminator(rng),
                Models.srgan().recipe(), SrganLosses.paper(), new VggContentLoss(vgg));
        Tensor hr = Tensor.rand(io.gan4j.core.backend.Device.cpu(), rng, -1f, 1f, 4, 3, 16, 16);
        // LR = 4x4 box average of HR, so that the pairs are consistent
        Tensor lr = hr.reshape(4, 3, 4, 4, 4, 4).mean(new int[] {3, 5}, false);

        List<Float> pixel = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pixel.add(step.pretrain(lr, hr).gLoss());
        }
        TrainingProbe.assertFiniteAndMoving("srresnet", pixel, "pixel MSE");
        List<Float> d = new ArrayList<>();
        List<Float> g = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SrganStepStats s = step.train(lr, hr);
            d.add(s.dLoss());
            g.add(s.gLoss());
        }
        TrainingProbe.assertFiniteAndMoving("srgan", d, "D loss");
        TrainingProbe.assertFiniteAndMoving("srgan", g, "G loss");
    }
}
