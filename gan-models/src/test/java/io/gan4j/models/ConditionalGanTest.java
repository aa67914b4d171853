package io.gan4j.models;

import io.gan4j.core.nn.Module;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.Conditional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** cgan-mnist: dcgan-mnist with labels, the discriminator by concatenation or by projection. */
class ConditionalGanTest {

    @Test
    void parameterCountsFollowFromDcganMnist() {
        // G: dcgan-mnist's 2,305,472 with its Linear fed 100 + 50 inputs instead of 100
        // (+ 50 * 12544 = 627,200) plus the label embedding 10 * 50 = 500: 2,933,172
        assertEquals(2_933_172, ConditionalGan.mnist().generator(new Generator(1)).parameterCount());
        // projection D: dcgan-mnist's 212,865 plus V = 10 classes * 6272 features (62,720): 275,585
        assertEquals(275_585, ConditionalGan.mnist().discriminator(new Generator(1)).parameterCount());
        // concat D: first Conv sees 2 channels (+ 64 * 25 = 1,600) plus a 28*28 label map per class
        // (10 * 784 = 7,840): 212,865 + 1,600 + 7,840 = 222,305
        assertEquals(222_305, ConditionalGan.mnist().withConditioning(DiscriminatorConditioning.CONCAT)
                .discriminator(new Generator(1)).parameterCount());
    }

    @Test
    void samplesTheRequestedClassShapeAndDependsOnTheLabel() {
        Generator rng = new Generator(2);
        ConditionalGenerator g = ConditionalGan.mnist().generator(rng);
        Tensor z = Tensor.randn(rng, 4, 100);
        Tensor threes = g.generate(z, 3);
        Tensor sevens = g.generate(z, 7);
        assertArrayEquals(new int[] {4, 1, 28, 28}, threes.shape());
        assertNotEquals(threes.toArray()[0], sevens.toArray()[0], "the label must change the image");
        assertThrows(IllegalArgumentException.class, () -> g.generate(z, 10));
        assertThrows(UnsupportedOperationException.class, () -> g.forward(z));
        for (DiscriminatorConditioning c : DiscriminatorConditioning.values()) {
            Module d = ConditionalGan.mnist().withConditioning(c).discriminator(rng);
            Tensor logits = ((Conditional) d).forward(threes, ConditionalGenerator.labelsOf(z, 3, 10));
            assertArrayEquals(new int[] {4, 1}, logits.shape(), c.toString());
        }
    }

    @Test
    void trainsOnLabelledDigitsWithProjection() {
        TrainingProbe.trainAndCheck(Models.cganMnist(), 4,
                rng -> TrainingProbe.batches(TrainingProbe.mnist(64), 8, 10, rng));
    }

    @Test
    void trainsOnLabelledDigitsWithConcatenation() {
        TrainingProbe.trainAndCheck(Models.cganMnistConcat(), 4,
                rng -> TrainingProbe.batches(TrainingProbe.mnist(64), 8, 10, rng));
    }
}
