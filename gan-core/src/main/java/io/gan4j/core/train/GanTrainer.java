package io.gan4j.core.train;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.io.Checkpoint;
import io.gan4j.core.latent.LatentPrior;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.GradientPenalty;
import io.gan4j.core.loss.MinimaxLoss;
import io.gan4j.core.loss.ModeSeekingRegularizer;
import io.gan4j.core.loss.NonSaturatingLoss;
import io.gan4j.core.loss.R1Penalty;
import io.gan4j.core.nn.Module;
import io.gan4j.core.optim.Optimizer;
import io.gan4j.core.optim.OptimizerState;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The adversarial training loop. One iteration = {@code nCritic} discriminator steps (a real batch and a
 * generated batch with no gradient into G, plus the penalty if any) followed by one generator step
 * (the discriminator frozen), then the EMA of the generator's weights. With {@link Builder#reuseFakeBatch} the
 * generator step trains on the batch the last discriminator step generated, as the PyTorch DCGAN example
 * does, so G runs forward once per iteration instead of twice. Every iteration runs in its own
 * {@link MemoryScope}, reports {@link StepStats} to the callbacks, and stops with a
 * {@link TrainingDivergedException} before a NaN or infinite gradient can reach the weights.
 *
 * <p>Everything random comes from one {@link Generator} (noise, penalties' weights, mixture data), and the
 * whole state (both networks, the EMA, both optimizers, the generator's position, the data position,
 * the step) goes into a checkpoint, so a resumed run continues bit-identically on the CPU backend.
 */
public final class GanTrainer {
    private final Module generator;
    private final Module discriminator;
    private final GanLoss loss;
    private final Optimizer<?> gOptimizer;
    private final Optimizer<?> dOptimizer;
    private final int nCritic;
    private final boolean reuseFakeBatch;
    private final GradientPenalty gradientPenalty;
    private final R1Penalty r1Penalty;
    private final ModeSeekingRegularizer modeSeeking;
    private final TopKGeneratorUpdate topK;
    private final ExponentialMovingAverage ema;
    private final int standingBatches;
    private final int standingBatchSize;
    /** The step whose EMA the batch-norm statistics were measured for, -1 for none. */
    private long standingStep = -1;
    private final LatentPrior prior;
    private final BatchSource data;
    private final Generator rng;
    private final Backend backend;
    private final List<TrainingCallback> callbacks;
    private long step;

    private GanTrainer(Builder b) {
        this.generator = Objects.requireNonNull(b.generator, "generator");
        this.discriminator = Objects.requireNonNull(b.discriminator, "discriminator");
        this.loss = Objects.requireNonNull(b.loss, "loss");
        this.gOptimizer = Objects.requireNonNull(b.gOptimizer, "generator optimizer");
        this.dOptimizer = Objects.requireNonNull(b.dOptimizer, "discriminator optimizer");
        this.data = Objects.requireNonNull(b.data, "data");
        this.rng = Objects.requireNonNull(b.rng, "random generator");
        this.backend = Objects.requireNonNull(b.backend, "backend");
        if (b.nCritic < 1) {
            throw new IllegalArgumentException("nCritic must be >= 1, got " + b.nCritic);
        }
        if (b.prior == null) {
            throw new IllegalArgumentException("latent prior or dimension not set");
        }
        this.nCritic = b.nCritic;
        this.reuseFakeBatch = b.reuseFakeBatch;
        this.gradientPenalty = b.gradientPenalty;
        this.r1Penalty = b.r1Penalty;
        if (b.modeSeeking != null && data.batchSize() < 2) {
            throw new IllegalArgumentException("mode seeking pairs the samples of a batch: needs a batch of at least 2, "
                    + "got " + data.batchSize());
        }
        this.modeSeeking = b.modeSeeking;
        this.topK = b.topK;
        this.prior = b.prior;
        if (b.standingBatches < 0 || b.standingBatchSize < 2) {
            throw new IllegalArgumentException("standing statistics: expected batches >= 0 and a batch size >= 2, got "
                    + b.standingBatches + " batches of " + b.standingBatchSize);
        }
        this.ema = b.emaDecay > 0 ? new ExponentialMovingAverage(generator, b.emaDecay) : null;
        this.standingBatches = b.standingBatches;
        this.standingBatchSize = b.standingBatchSize;
        this.callbacks = new ArrayList<>(b.callbacks);
    }

    /** The sub-stream of the run's generator that {@link #fixedNoise} draws from. */
    private static final long FIXED_NOISE_STREAM = 0x6_0001L;
    /** The checkpoint metadata that names the run's latent prior. */
    private static final String LATENT_PRIOR_KEY = "latent_prior";
    /** The sub-stream of the noise and labels that measure the EMA's batch-norm statistics. */
    private static final long STANDING_STATISTICS_STREAM = 0x6_0002L;

    public static Builder builder() {
        return new Builder();
    }

    /** How a trainer is configured; unset penalties and EMA are off. */
    public static final class Builder {
        private Module generator;
        private Module discriminator;
        private GanLoss loss = new NonSaturatingLoss();
        private Optimizer<?> gOptimizer;
        private Optimizer<?> dOptimizer;
        private int nCritic = 1;
        private boolean reuseFakeBatch;
        private GradientPenalty gradientPenalty;
        private R1Penalty r1Penalty;
        private ModeSeekingRegularizer modeSeeking;
        private TopKGeneratorUpdate topK;
        private float emaDecay;
        private int standingBatches = 16;
        private int standingBatchSize = 64;
        private LatentPrior prior;
        private BatchSource data;
        private Generator rng;
        private Backend backend;
        private final List<TrainingCallback> callbacks = new ArrayList<>();

        public Builder generator(Module g, Optimizer<?> optimizer) {
            this.generator = g;
            this.gOptimizer = optimizer;
            return this;
        }

        public Builder discriminator(Module d, Optimizer<?> optimizer) {
            this.discriminator = d;
            this.dOptimizer = optimizer;
            return this;
        }

        public Builder loss(GanLoss loss) {
            this.loss = loss;
            return this;
        }

        public Builder nCritic(int n) {
            this.nCritic = n;
            return this;
        }

        public Builder gradientPenalty(GradientPenalty penalty) {
            this.gradientPenalty = penalty;
            return this;
        }

        public Builder r1Penalty(R1Penalty penalty) {
            this.r1Penalty = penalty;
            return this;
        }

        /**
         * Adds MSGAN's mode-seeking term to the generator's loss (null: none). The two halves of every generated
         * batch are its pairs, so with labelled data the second half gets the first half's labels.
         */
        public Builder modeSeeking(ModeSeekingRegularizer regularizer) {
            this.modeSeeking = regularizer;
            return this;
        }

        /** Takes the generator's loss over only the fakes the discriminator rates highest (null: all of them). */
        public Builder topK(TopKGeneratorUpdate topK) {
            this.topK = topK;
            return this;
        }

        /** Keeps an EMA of the generator's weights with this decay (e.g. 0.999); 0 turns it off. */
        public Builder ema(float decay) {
            this.emaDecay = decay;
            return this;
        }

        /**
         * How the EMA generator's batch-norm statistics are measured before it samples: {@code batches} batches
         * of {@code batchSize} generated samples (default 16 of 64; {@code batches} 0 keeps the trained
         * network's statistics, which belong to other weights and cost a few points of sample quality).
         */
        public Builder standingStatistics(int batches, int batchSize) {
            this.standingBatches = batches;
            this.standingBatchSize = batchSize;
            return this;
        }

        /** z ~ N(0, I) of that size. */
        public Builder latentDim(int dim) {
            return latentPrior(LatentPrior.gaussian(dim));
        }

        /** The distribution of the generator's noise, in training, sampling and the EMA's statistics alike. */
        public Builder latentPrior(LatentPrior prior) {
            this.prior = Objects.requireNonNull(prior, "latent prior");
            return this;
        }

        public Builder data(BatchSource data) {
            this.data = data;
            return this;
        }

        /** The one source of randomness of the run (noise, penalties, data). */
        public Builder random(Generator rng) {
            this.rng = rng;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /**
         * The generator step trains on the generated batch of the last discriminator step (same noise, same
         * labels) instead of drawing a new one. G's forward pass is then run once per iteration, with its graph
         * kept for the generator step; D sees the batch detached. It saves about a fifth of a DCGAN iteration.
         */
        public Builder reuseFakeBatch(boolean reuse) {
            this.reuseFakeBatch = reuse;
            return this;
        }

        public Builder callback(TrainingCallback callback) {
            this.callbacks.add(callback);
            return this;
        }

        public GanTrainer build() {
            return new GanTrainer(this);
        }
    }

    /** Iterations completed so far. */
    public long step() {
        return step;
    }

    public Module generator() {
        return generator;
    }

    public Module discriminator() {
        return discriminator;
    }

    /** The EMA of the generator's weights, or null when off. */
    public ExponentialMovingAverage ema() {
        return ema;
    }

    public void addCallback(TrainingCallback callback) {
        callbacks.add(callback);
    }

    /** Runs {@code iterations} training iterations. */
    public void train(long iterations) {
        for (long i = 0; i < iterations; i++) {
            trainStep();
        }
    }

    /** One training iteration; returns what it measured. */
    public StepStats trainStep() {
        long current = step + 1;
        StepStats stats;
        try (MemoryScope scope = MemoryScope.open()) {
            float dLoss = 0;
            float dReal = 0;
            float dFake = 0;
            float penalty = 0;
            float dNorm = 0;
            Tensor fakeLabels = null;
            Tensor fakeForG = null;
            Tensor noiseForG = null;
            for (int c = 0; c < nCritic; c++) {
                Batch real = data.next();
                int n = real.samples().size(0);
                fakeLabels = real.labels() == null ? null : labelsForFakes(n);
                Tensor fake;
                if (reuseFakeBatch && c == nCritic - 1) {
                    noiseForG = noise(n);
                    fakeForG = generate(noiseForG, fakeLabels);
                    fake = fakeForG.detach();
                } else {
                    try (GradMode off = GradMode.disable()) {
                        fake = generate(noise(n), fakeLabels);
                    }
                }
                dOptimizer.zeroGrad();
                Tensor realOut = discriminate(real.samples(), real.labels());
                Tensor fakeOut = discriminate(fake, fakeLabels);
                Tensor objective = loss.discriminatorLoss(realOut, fakeOut);
                Tensor total = objective;
                if (gradientPenalty != null) {
                    Tensor labels = real.labels();
                    Tensor p = gradientPenalty.penalty(x -> discriminate(x, labels), real.samples(), fake);
                    penalty = p.item();
                    total = total.add(p);
                }
                if (r1Penalty != null) {
                    Tensor labels = real.labels();
                    Tensor p = r1Penalty.penalty(x -> discriminate(x, labels), real.samples());
                    penalty += p.item();
                    total = total.add(p);
                }
                total.backward();
                dLoss = objective.item();
                dReal = meanOutput(realOut);
                dFake = meanOutput(fakeOut);
                dNorm = gradNorm(discriminator);
                guard(current, "discriminator loss", dLoss + penalty);
                guard(current, "discriminator gradient norm", dNorm);
                dOptimizer.step();
            }

            // generator step: gradients flow through D into G, but D's own weights stay as they are
            gOptimizer.zeroGrad();
            setRequiresGrad(discriminator, false);
            float gLoss;
            float gNorm;
            try {
                Tensor fakes;
                Tensor labels;
                if (fakeForG != null) {
                    fakes = fakeForG;
                    labels = fakeLabels;
                } else {
                    int n = data.batchSize();
                    labels = fakeLabels == null ? null : labelsForFakes(n);
                    noiseForG = noise(n);
                    fakes = generate(noiseForG, labels);
                }
                Tensor logits = discriminate(fakes, labels);
                Tensor objective = loss.generatorLoss(topK == null ? logits : topK.select(logits, current));
                Tensor total = modeSeeking == null ? objective : objective.add(modeSeeking.penalty(fakes, noiseForG));
                total.backward();
                gLoss = objective.item();
                gNorm = gradNorm(generator);
            } finally {
                setRequiresGrad(discriminator, true);
            }
            guard(current, "generator loss", gLoss);
            guard(current, "generator gradient norm", gNorm);
            gOptimizer.step();
            guardWeights(current, "generator", generator);
            guardWeights(current, "discriminator", discriminator);
            if (ema != null) {
                ema.update(current);
            }
            stats = new StepStats(current, dLoss, gLoss, dReal, dFake, penalty, dNorm, gNorm);
        }
        step = current;
        for (TrainingCallback cb : callbacks) {
            cb.onStep(stats);
        }
        return stats;
    }

    /**
     * {@code n} latent vectors that are the same at every step of a run, and after a resume: sample grids
     * made from them show the same z evolve. They come from a sub-stream of the run's generator, so drawing
     * them changes nothing in training.
     */
    public Tensor fixedNoise(int n) {
        return prior.sample(backend, rng.fork(FIXED_NOISE_STREAM), n);
    }

    /** {@code n} latent vectors from the run's prior, drawn from the run's generator. */
    public Tensor noise(int n) {
        return prior.sample(backend, rng, n);
    }

    /** The distribution the generator's noise comes from. */
    public LatentPrior latentPrior() {
        return prior;
    }

    /** Labels of a generated batch: random, but with mode seeking the second half repeats the first (its pairs). */
    private Tensor labelsForFakes(int n) {
        if (modeSeeking == null) {
            return randomLabels(rng, n);
        }
        float[] labels = randomLabels(rng, n).toArray();
        int half = n / 2;
        System.arraycopy(labels, 0, labels, half, half);
        return Tensor.of(backend, labels, n);
    }

    private Tensor randomLabels(Generator source, int n) {
        float[] u = Tensor.rand(backend, source, 0f, 1f, n).toArray();
        int classes = data.classes();
        for (int i = 0; i < n; i++) {
            u[i] = Math.min(classes - 1, (int) (u[i] * classes));
        }
        return Tensor.of(backend, u, n);
    }

    private Tensor generate(Tensor z, Tensor labels) {
        return labels != null && generator instanceof Conditional
                ? ((Conditional) generator).forward(z, labels) : generator.forward(z);
    }

    private Tensor discriminate(Tensor x, Tensor labels) {
        return labels != null && discriminator instanceof Conditional
                ? ((Conditional) discriminator).forward(x, labels) : discriminator.forward(x);
    }

    /**
     * Samples from the generator in evaluation mode, without the tape. With an EMA, the samples come from the
     * averaged weights, with batch-norm statistics measured for them (see {@link Builder#standingStatistics};
     * once per step, from a noise stream of their own, so training does not change).
     */
    public Tensor sample(Tensor z, Tensor labels) {
        java.util.function.Supplier<Tensor> run = () -> {
            boolean wasTraining = generator.isTraining();
            generator.eval();
            try (GradMode off = GradMode.disable()) {
                return generate(z, labels);
            } finally {
                generator.train(wasTraining);
            }
        };
        if (ema == null) {
            return run.get();
        }
        if (standingBatches > 0 && standingStep != step) {
            Generator source = rng.fork(STANDING_STATISTICS_STREAM);
            ema.recomputeBatchNormStatistics(standingBatches, () -> generate(
                    prior.sample(backend, source, standingBatchSize),
                    data.classes() > 0 ? randomLabels(source, standingBatchSize) : null));
            standingStep = step;
        }
        return ema.withAveragedWeights(run);
    }

    /** D's mean output: a probability for the BCE-based losses, the raw critic value otherwise. */
    private float meanOutput(Tensor logits) {
        try (GradMode off = GradMode.disable()) {
            boolean probabilities = loss instanceof NonSaturatingLoss || loss instanceof MinimaxLoss;
            return (probabilities ? logits.sigmoid() : logits).mean().item();
        }
    }

    private static float gradNorm(Module m) {
        double sum = 0;
        try (GradMode off = GradMode.disable()) {
            for (Tensor p : m.parameters()) {
                Tensor g = p.grad();
                if (g != null) {
                    // g.g as a 1 x n by n x 1 product: a dot product, without the n-element square that
                    // square().sum() allocates for every parameter at every step
                    int n = Math.toIntExact(g.numel());
                    sum += g.reshape(1, n).matmul(g.reshape(n, 1)).item();
                }
            }
        }
        return (float) Math.sqrt(sum);
    }

    private static void setRequiresGrad(Module m, boolean requires) {
        for (Tensor p : m.parameters()) {
            p.requiresGrad(requires);
        }
    }

    private void guard(long at, String what, float value) {
        if (!Float.isFinite(value)) {
            throw new TrainingDivergedException("training diverged at step " + at + ": " + what + " is " + value
                    + "; the weights were not updated with it, and checkpoints written before this step are intact."
                    + " Try a lower learning rate, a gradient penalty or spectral norm.");
        }
    }

    private void guardWeights(long at, String which, Module m) {
        try (GradMode off = GradMode.disable()) {
            for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
                float s = e.getValue().sum().item();
                if (!Float.isFinite(s)) {
                    throw new TrainingDivergedException("training diverged at step " + at + ": " + which + " weight '"
                            + e.getKey() + "' holds NaN or infinite values; checkpoints written before this step are intact");
                }
            }
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes the whole training state to {@code file} (atomically: a crash leaves the previous file intact). */
    public void save(Path file) throws IOException {
        save(file, Map.of());
    }

    /**
     * As {@link #save(Path)}, with {@code notes} added to the checkpoint's metadata (e.g. the quality score of
     * {@link BestCheckpoint}); {@link #resume} ignores them. The same state always gives the same bytes: the
     * entries of {@code notes} and of the data's state go in key order, whatever order their maps iterate in
     * ({@code Map.of} changes its order from one JVM to the next).
     */
    public void save(Path file, Map<String, String> notes) throws IOException {
        Checkpoint c = new Checkpoint();
        new TreeMap<>(notes).forEach(c::metadata);
        c.putAll("generator.", generator.stateDict());
        c.putAll("discriminator.", discriminator.stateDict());
        if (ema != null) {
            c.putAll("generator_ema.", ema.stateDict());
        }
        gOptimizer.stateDict().writeTo(c, "optimizer_g.");
        dOptimizer.stateDict().writeTo(c, "optimizer_d.");
        c.step(step);
        c.generator("rng", rng);
        new TreeMap<>(data.state()).forEach(c::metadata);
        c.metadata("loss", loss.name());
        c.metadata(LATENT_PRIOR_KEY, prior.toString());
        c.save(file);
    }

    /** Restores a state written by {@link #save}: the next iteration continues where that run stopped. */
    public void resume(Path file) throws IOException {
        Checkpoint c = Checkpoint.load(file, backend);
        generator.loadStateDict(c.tensorsWithPrefix("generator."));
        discriminator.loadStateDict(c.tensorsWithPrefix("discriminator."));
        if (ema != null) {
            ema.loadStateDict(c.tensorsWithPrefix("generator_ema."));
        }
        gOptimizer.loadStateDict(OptimizerState.readFrom(c, "optimizer_g."));
        dOptimizer.loadStateDict(OptimizerState.readFrom(c, "optimizer_d."));
        // another prior would change every z from here on, silently; checkpoints from before the key was
        // written were all trained on N(0, I)
        String trainedOn = c.metadata().getOrDefault(LATENT_PRIOR_KEY, LatentPrior.gaussian(prior.dim()).toString());
        if (!trainedOn.equals(prior.toString())) {
            throw new IllegalArgumentException(file + ": checkpoint was trained with latent prior " + trainedOn
                    + ", this run uses " + prior);
        }
        Generator saved = c.generator("rng");
        if (saved.seed() != rng.seed()) {
            throw new IllegalArgumentException(file + ": checkpoint was trained with seed " + saved.seed()
                    + ", this run uses seed " + rng.seed());
        }
        rng.seek(saved.offset());
        data.restore(new HashMap<>(c.metadata()));
        step = c.step();
        standingStep = -1;
    }
}
