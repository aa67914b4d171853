package io.gan4j.models;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.Losses;
import io.gan4j.core.nn.Module;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.TrainingDivergedException;

/**
 * One SRGAN update on a batch of (LR, HR) pairs. GanTrainer draws noise for its generator and has no
 * content term, so SRGAN's paired step lives here, composed only of gan-core's losses and optimizers;
 * the caller's loop feeds it batches. (When GanTrainer gains paired inputs and extra generator terms, this
 * class should become a recipe for it.)
 *
 * <p>{@link #pretrain}: SRResNet, pixel MSE only (the paper's initialisation of SRGAN).
 * {@link #train}: D on real HR vs. detached SR images, then G on {@code content + w * adversarial}.
 */
public final class SrganTrainingStep {
    private final Module generator;
    private final Module discriminator;
    private final GanLoss loss;
    private final Adam gOptimizer;
    private final Adam dOptimizer;
    private final SrganLosses weights;
    private final VggContentLoss vggLoss;

    /** {@code vggLoss} null means pixel MSE as content loss (SRGAN-MSE). */
    public SrganTrainingStep(Module generator, Module discriminator, TrainingRecipe recipe, SrganLosses weights,
                             VggContentLoss vggLoss) {
        if (recipe.nCritic() != 1 || recipe.gradientPenalty() > 0 || recipe.r1Gamma() > 0 || recipe.emaDecay() > 0) {
            throw new IllegalArgumentException("SRGAN step: supports one D step per G step and no penalties or EMA "
                    + "(got " + recipe + ")");
        }
        this.generator = generator;
        this.discriminator = discriminator;
        this.loss = recipe.loss();
        this.gOptimizer = new Adam(generator.namedParameters(), recipe.generatorOptimizer());
        this.dOptimizer = new Adam(discriminator.namedParameters(), recipe.discriminatorOptimizer());
        this.weights = weights;
        this.vggLoss = vggLoss;
    }

    public Module generator() {
        return generator;
    }

    public Module discriminator() {
        return discriminator;
    }

    /** SRResNet pre-training: G minimises the pixel MSE to the HR images; D is untouched. */
    public SrganStepStats pretrain(Tensor lowRes, Tensor highRes) {
        try (MemoryScope scope = MemoryScope.open()) {
            gOptimizer.zeroGrad();
            Tensor mse = Losses.mse(generator.forward(lowRes), highRes);
            mse.backward();
            float value = finite("pixel MSE", mse.item());
            gOptimizer.step();
            return new SrganStepStats(0f, value, value, 0f);
        }
    }

    /** One adversarial iteration: a D step, then a G step on the perceptual loss. */
    public SrganStepStats train(Tensor lowRes, Tensor highRes) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor fake;
            try (GradMode off = GradMode.disable()) {
                fake = generator.forward(lowRes);
            }
            dOptimizer.zeroGrad();
            Tensor dLoss = loss.discriminatorLoss(discriminator.forward(highRes), discriminator.forward(fake));
            dLoss.backward();
            float d = finite("discriminator loss", dLoss.item());
            dOptimizer.step();

            gOptimizer.zeroGrad();
            setRequiresGrad(discriminator, false);
            float content;
            float adversarial;
            float g;
            try {
                Tensor sr = generator.forward(lowRes);
                Tensor contentLoss = vggLoss != null ? vggLoss.loss(sr, highRes) : Losses.mse(sr, highRes);
                Tensor adversarialLoss = loss.generatorLoss(discriminator.forward(sr));
                Tensor total = contentLoss.add(adversarialLoss.mul(weights.adversarialWeight()));
                total.backward();
                content = contentLoss.item();
                adversarial = adversarialLoss.item();
                g = finite("generator loss", total.item());
            } finally {
                setRequiresGrad(discriminator, true);
            }
            gOptimizer.step();
            return new SrganStepStats(d, g, content, adversarial);
        }
    }

    private static float finite(String what, float value) {
        if (!Float.isFinite(value)) {
            throw new TrainingDivergedException("SRGAN diverged: " + what + " is " + value
                    + "; the weights were not updated with it. Try a lower learning rate.");
        }
        return value;
    }

    private static void setRequiresGrad(Module m, boolean requires) {
        for (Tensor p : m.parameters()) {
            p.requiresGrad(requires);
        }
    }
}
