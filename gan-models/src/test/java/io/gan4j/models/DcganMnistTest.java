package io.gan4j.models;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** dcgan-mnist as DESIGN.md defines it. */
class DcganMnistTest {

    @Test
    void parameterCountsAreThoseOfTheTensorFlowTutorial() {
        // TensorFlow's DCGAN tutorial, generator.summary(): trainable params 2,305,472 =
        // Linear 100*12544 (1,254,400) + BN 2*12544 + ConvT 256*128*25 (819,200) + BN 256
        // + ConvT 128*64*25 (204,800) + BN 128 + ConvT 64*1*25 (1,600)
        assertEquals(2_305_472, DcganMnist.paper().generator(new Generator(1)).parameterCount());
        // discriminator.summary(): 212,865 = Conv 1*64*25+64 (1,664) + Conv 64*128*25+128 (204,928)
        // + Linear 6272+1 (6,273)
        assertEquals(212_865, DcganMnist.paper().discriminator(new Generator(1)).parameterCount());
    }

    @Test
    void shapes() {
        Generator rng = new Generator(2);
        Tensor images = DcganMnist.paper().generator(rng).forward(Tensor.randn(rng, 3, 100));
        assertArrayEquals(new int[] {3, 1, 28, 28}, images.shape());
        assertArrayEquals(new int[] {3, 1}, DcganMnist.paper().discriminator(rng).forward(images).shape());
        DcganMnist rgb32 = DcganMnist.paper().withImageSize(32).withChannels(3);
        Tensor rgb = rgb32.generator(rng).forward(Tensor.randn(rng, 2, 100));
        assertArrayEquals(new int[] {2, 3, 32, 32}, rgb.shape());
        assertArrayEquals(new int[] {2, 1}, rgb32.discriminator(rng).forward(rgb).shape());
    }

    @Test
    void trainsOnRealDigitsWithoutNaN() {
        TrainingProbe.trainAndCheck(Models.dcganMnist(), 4,
                rng -> TrainingProbe.batches(TrainingProbe.mnist(64), 8, 0, rng));
    }
}
