package io.gan4j.examples;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.Mnist;
import io.gan4j.core.metrics.*;
import io.gan4j.core.nn.Module;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.optim.Optimizer;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.*;
import io.gan4j.models.*;
import java.util.*;

/**
 * key=value args: batch gLr dLr b1 b2 steps decay(frac) evals(comma steps) loss smooth r1(gamma) dropout(p, in D after
 * each LeakyReLU) emas(comma decays, default 0.99,0.995). r1, dropout and emas were added in the seventh session,
 * topk(nu) topkEvery(steps per factor 0.99) and sn(1: spectral norm on D's layers) in the eighth, la(k) and laAlpha
 * (Lookahead-minmax, Chavdarova et al. 2021: every k steps both networks' slow weights move laAlpha of the way to
 * the fast ones, and the fast ones restart from them) in the ninth; at their defaults they change nothing, so the
 * fifth and sixth sessions' runs come out the same. loss=ra is the relativistic average standard GAN (ninth session).
 * gLr sets both networks' learning rate unless dLr is given. translate(pixels) and cutout(side) augment every image D
 * sees, real and fake, differentiably (DiffAugment, Zhao et al. 2020; the thirteenth session): a random shift of up to
 * translate pixels each way and/or a square of that side set to the background, both per sample. The JVM option
 * -DuniformZ=true draws the evaluation noise from U(-1, 1), the DCGAN paper's, instead of N(0, 1); training draws it
 * too only with ../sweep-session13/uniform-z-trainer.patch applied to GanTrainer (compiled ahead on the class path).
 * sets(N) scores each EMA generator after the last step on N more sets of 1,000 samples (noise streams 100, 101, ...)
 * and prints their mean, standard deviation and range (thirteenth session). seed(S) seeds the trainer as gan train's
 * --seed does (seventeenth session; the evaluation samples stay those of seed 1). setsAtEvals=1 scores the sets
 * (default 4) at every evaluation step instead of after the last, and optimism=1 makes every update optimistic
 * (see below; eighteenth session). mix=K draws the noise, in training and in every evaluation, from an equal mixture of
 * K Gaussians (GaussianMixturePrior, gan train's --latent-mixture K; nineteenth session).
 */
public class Steps {
    public static void main(String[] a) throws Exception {
        Map<String, String> p = new HashMap<>();
        for (String s : a) { String[] kv = s.split("=", 2); p.put(kv[0], kv[1]); }
        int batch = Integer.parseInt(p.getOrDefault("batch", "16"));
        float gLr = Float.parseFloat(p.getOrDefault("gLr", "1e-3"));
        float dLr = Float.parseFloat(p.getOrDefault("dLr", String.valueOf(gLr)));
        float b1 = Float.parseFloat(p.getOrDefault("b1", "0.5"));
        float b2 = Float.parseFloat(p.getOrDefault("b2", "0.999"));
        int steps = Integer.parseInt(p.getOrDefault("steps", "3600"));
        double f = Double.parseDouble(p.getOrDefault("decay", "0"));
        String loss = p.getOrDefault("loss", "non-saturating");
        float smooth = Float.parseFloat(p.getOrDefault("smooth", "1"));
        TreeSet<Integer> evals = new TreeSet<>();
        for (String s : p.getOrDefault("evals", String.valueOf(steps)).split(",")) evals.add(Integer.parseInt(s));
        Backend backend = Device.cpu();
        float r1 = Float.parseFloat(p.getOrDefault("r1", "0"));
        float dropout = Float.parseFloat(p.getOrDefault("dropout", "0"));
        GanModel<?> base = Models.get("dcgan-mnist");
        boolean sn = p.getOrDefault("sn", "0").equals("1");
        if (sn || dropout > 0) {
            Generator vectors = new Generator(6);
            Generator masks = new Generator(5);
            base = new GanModel<>("dcgan-mnist-variant", new LatentArchitecture() {
                public int latentDim() { return 100; }
                public Module generator(Generator g) { return DcganMnist.paper().generator(g); }
                public Module discriminator(Generator g) { return variantDiscriminator(g, sn, vectors, dropout, masks); }
            }, base.recipe());
        }
        int translate = Integer.parseInt(p.getOrDefault("translate", "0"));
        int cutout = Integer.parseInt(p.getOrDefault("cutout", "0"));
        if (translate > 0 || cutout > 0) {
            GanModel<?> inner = base;
            SplittableRandom augRandom = new SplittableRandom(9);
            base = new GanModel<>("dcgan-mnist-augmented", new LatentArchitecture() {
                public int latentDim() { return 100; }
                public Module generator(Generator g) { return inner.generator(g); }
                public Module discriminator(Generator g) { return new Augmented(inner.discriminator(g), translate, cutout, augRandom); }
            }, base.recipe());
        }
        int mix = Integer.parseInt(p.getOrDefault("mix", "0"));
        prior = io.gan4j.core.latent.LatentPrior.of(100, mix);
        GanModel<?> m = base.withRecipe(r -> r.withEma(0f).withLatentComponents(mix).withLoss(smooth < 1 ? new io.gan4j.core.loss.NonSaturatingLoss(smooth) : (loss.equals("ra") ? new RelativisticAverage() : io.gan4j.core.loss.GanLoss.named(loss)))
                .withGeneratorOptimizer(r.generatorOptimizer().withLr(gLr).withBetas(b1, b2))
                .withDiscriminatorOptimizer(r.discriminatorOptimizer().withLr(dLr).withBetas(b1, b2)));
        Generator rng = new Generator(Long.parseLong(p.getOrDefault("seed", "1")));
        GanTrainer t = m.trainer(rng, backend, new ImageBatches(Mnist.bundled(), batch, 0, rng, backend))
                .r1Penalty(r1 > 0 ? new io.gan4j.core.loss.R1Penalty(r1) : null)
                .topK(p.containsKey("topk") ? new TopKGeneratorUpdate(0.99f, Long.parseLong(p.getOrDefault("topkEvery", "25")), Float.parseFloat(p.get("topk"))) : null).build();
        java.lang.reflect.Field gf = GanTrainer.class.getDeclaredField("gOptimizer"); gf.setAccessible(true);
        java.lang.reflect.Field df = GanTrainer.class.getDeclaredField("dOptimizer"); df.setAccessible(true);
        Optimizer<?> go = (Optimizer<?>) gf.get(t), dopt = (Optimizer<?>) df.get(t);
        String[] decayArgs = p.getOrDefault("emas", "0.99,0.995").split(",");
        float[] decays = new float[decayArgs.length];
        for (int i = 0; i < decays.length; i++) decays[i] = Float.parseFloat(decayArgs[i]);
        List<ExponentialMovingAverage> emas = new ArrayList<>();
        for (float d : decays) emas.add(new ExponentialMovingAverage(t.generator(), d));
        Tensor z = noise(backend, new Generator(1).fork(11), 1000);
        DigitClassifier c = DigitClassifier.bundled();
        int la = Integer.parseInt(p.getOrDefault("la", "0"));
        float laAlpha = Float.parseFloat(p.getOrDefault("laAlpha", "0.5"));
        List<Tensor[]> lookahead = new ArrayList<>();
        if (la > 0) {
            for (Module net : List.of(t.generator(), t.discriminator())) {
                for (Tensor w : net.parameters()) {
                    Tensor slow = Tensor.zeros(backend, w.shape());
                    backend.copy(w.buffer(), 0, slow.buffer(), 0, w.numel());
                    lookahead.add(new Tensor[] {w, slow});
                }
            }
        }
        boolean setsAtEvals = p.getOrDefault("setsAtEvals", "0").equals("1");
        int sets = Integer.parseInt(p.getOrDefault("sets", setsAtEvals ? "4" : "0"));
        // optimism=1: each network's step becomes 2 u_t - u_(t-1), u its Adam update (optimistic mirror descent,
        // Daskalakis et al. 2018), applied after each training iteration; per weight: the weight before the step, the
        // last update, a scratch for the new one
        boolean optimism = p.getOrDefault("optimism", "0").equals("1");
        List<Tensor[]> optimistic = new ArrayList<>();
        if (optimism) {
            for (Module net : List.of(t.generator(), t.discriminator())) {
                for (Tensor w : net.parameters()) {
                    Tensor before = Tensor.zeros(backend, w.shape());
                    backend.copy(w.buffer(), 0, before.buffer(), 0, w.numel());
                    optimistic.add(new Tensor[] {w, before, Tensor.zeros(backend, w.shape()), Tensor.zeros(backend, w.shape())});
                }
            }
        }
        long start = System.nanoTime();
        System.out.println("== " + String.join(" ", a));
        while (t.step() < steps) {
            double frac = t.step() / (double) steps;
            float factor = f > 0 ? (float) Math.min(1.0, (1 - frac) / f) : 1f;
            go.setLr(gLr * factor);
            dopt.setLr(dLr * factor);
            t.trainStep();
            for (Tensor[] o : optimistic) {
                Tensor w = o[0], before = o[1], last = o[2], update = o[3];
                backend.copy(w.buffer(), 0, update.buffer(), 0, w.numel());
                backend.axpby(-1f, before.buffer(), 1f, update.buffer());
                backend.axpby(1f, update.buffer(), 1f, w.buffer());
                backend.axpby(-1f, last.buffer(), 1f, w.buffer());
                backend.copy(update.buffer(), 0, last.buffer(), 0, w.numel());
                backend.copy(w.buffer(), 0, before.buffer(), 0, w.numel());
            }
            if (la > 0 && t.step() % la == 0) {
                for (Tensor[] ws : lookahead) {
                    backend.axpby(laAlpha, ws[0].buffer(), 1 - laAlpha, ws[1].buffer());
                    backend.copy(ws[1].buffer(), 0, ws[0].buffer(), 0, ws[0].numel());
                }
            }
            for (ExponentialMovingAverage e : emas) e.update(t.step());
            if (evals.contains((int) t.step())) {
                Module g = t.generator();
                StringBuilder out = new StringBuilder(String.format("step %d (%.0f s):", t.step(), (System.nanoTime() - start) / 1e9));
                try (GradMode off = GradMode.disable()) {
                    g.eval();
                    try (MemoryScope s = MemoryScope.open()) { out.append(" raw ").append(String.format("%.1f", 100 * confidentShare(c, g, z))); }
                    for (ExponentialMovingAverage e : emas) {
                        averagedStatistics(e, g, backend);
                        out.append(String.format(" ema%s %.1f", e.decay(), 100 * averagedShare(e, g, c, z)));
                    }
                    g.train();
                }
                System.out.println(out);
                if (setsAtEvals) {
                    moreSets(t, emas, c, backend, sets);
                }
            }
        }
        if (sets > 0 && !setsAtEvals) {
            moreSets(t, emas, c, backend, sets);
        }
    }

    /** Each EMA generator on {@code sets} more sets of 1,000 samples (noise streams 100, 101, ...): mean, SD, range. */
    static void moreSets(GanTrainer t, List<ExponentialMovingAverage> emas, DigitClassifier c, Backend backend, int sets) {
        Module g = t.generator();
        try (GradMode off = GradMode.disable()) {
            for (ExponentialMovingAverage e : emas) {
                averagedStatistics(e, g, backend);
                double[] v = new double[sets];
                for (int s = 0; s < sets; s++) {
                    v[s] = 100 * averagedShare(e, g, c, noise(backend, new Generator(1).fork(100 + s), 1000));
                }
                org.apache.commons.math3.stat.descriptive.DescriptiveStatistics st = new org.apache.commons.math3.stat.descriptive.DescriptiveStatistics(v);
                System.out.println(String.format(java.util.Locale.ROOT, "step %d, ema%s on %d more sets of 1000: mean %.1f, sd %.1f, range %.1f-%.1f %s",
                        t.step(), e.decay(), sets, st.getMean(), st.getStandardDeviation(), st.getMin(), st.getMax(), Arrays.toString(v)));
            }
            g.train();
        }
    }

    /** Batch-norm statistics measured for the EMA's averaged weights: 16 batches of 64 from noise stream 77. */
    static void averagedStatistics(ExponentialMovingAverage e, Module g, Backend backend) {
        Generator g2 = new Generator(77);
        e.recomputeBatchNormStatistics(16, () -> g.forward(noise(backend, g2, 64)));
    }

    /** The confident share of the samples of z drawn by the EMA's averaged weights, in eval mode. */
    static double averagedShare(ExponentialMovingAverage e, Module g, DigitClassifier c, Tensor z) {
        return e.withAveragedWeights(() -> {
            g.eval();
            try (MemoryScope s = MemoryScope.open()) {
                return confidentShare(c, g, z);
            }
        });
    }

    static double confidentShare(DigitClassifier c, Module g, Tensor z) {
        return DigitQuality.evaluate(c, g.forward(z).reshape(z.size(0), 1, 28, 28), null).confidentShare();
    }

    /** The run's prior (mix=K), set once in main. */
    static io.gan4j.core.latent.LatentPrior prior = io.gan4j.core.latent.LatentPrior.gaussian(100);

    /** Latent vectors as the run draws them: from its prior, or U(-1, 1) with -DuniformZ=true. */
    static Tensor noise(Backend backend, Generator g, int n) {
        if (!(prior instanceof io.gan4j.core.latent.GaussianPrior)) {
            return prior.sample(backend, g, n);
        }
        return Boolean.getBoolean("uniformZ") ? Tensor.rand(backend, g, -1f, 1f, n, 100) : Tensor.randn(backend, g, 0f, 1f, n, 100);
    }

    /** D behind a per-sample random shift (background-filled) and cutout of every batch it sees. */
    static final class Augmented extends Module {
        private final Module d;
        private final int translate, cutout;
        private final SplittableRandom random;

        Augmented(Module d, int translate, int cutout, SplittableRandom random) {
            this.d = registerModule("d", d);
            this.translate = translate;
            this.cutout = cutout;
            this.random = random;
        }

        public Tensor forward(Tensor x) {
            int n = x.size(0), h = x.size(2), w = x.size(3);
            Backend b = x.backend();
            if (translate > 0) {
                int t = translate;
                Tensor side = Tensor.full(b, -1f, n, 1, h, t);
                Tensor wide = io.gan4j.core.ops.Ops.concat(3, side, x, side);
                Tensor band = Tensor.full(b, -1f, n, 1, t, w + 2 * t);
                Tensor padded = io.gan4j.core.ops.Ops.concat(2, band, wide, band);
                Tensor[] shifted = new Tensor[n];
                for (int i = 0; i < n; i++) {
                    shifted[i] = padded.slice(i, i + 1).narrow(2, random.nextInt(2 * t + 1), h).narrow(3, random.nextInt(2 * t + 1), w);
                }
                x = io.gan4j.core.ops.Ops.concat(0, shifted);
            }
            if (cutout > 0) {
                float[] keep = new float[n * h * w];
                java.util.Arrays.fill(keep, 1f);
                for (int i = 0; i < n; i++) {
                    int y0 = random.nextInt(h - cutout + 1), x0 = random.nextInt(w - cutout + 1);
                    for (int y = y0; y < y0 + cutout; y++) java.util.Arrays.fill(keep, i * h * w + y * w + x0, i * h * w + y * w + x0 + cutout, 0f);
                }
                Tensor mask = Tensor.of(b, keep, n, 1, h, w);
                x = x.mul(mask).add(mask.sub(1f));
            }
            return d.forward(x);
        }
    }

    /**
     * dcgan-mnist's D with spectral norm on its layers (each initialised before it is wrapped) and/or dropout
     * after each LeakyReLU (the whole network initialised at the end), drawing from the generators in the same
     * order as the seventh session's separate dropout variant.
     */
    static Module variantDiscriminator(Generator g, boolean sn, Generator vectors, float dropout, Generator masks) {
        java.util.function.UnaryOperator<Module> wrap = layer -> sn
                ? new io.gan4j.core.nn.SpectralNorm(io.gan4j.core.nn.Init.dcgan(layer, g), vectors) : layer;
        io.gan4j.core.nn.Sequential d = new io.gan4j.core.nn.Sequential();
        d.add(wrap.apply(new io.gan4j.core.nn.Conv2d(1, 64, 5, 2, 2, g))).add(new io.gan4j.core.nn.LeakyReLU(0.2f));
        if (dropout > 0) d.add(new io.gan4j.core.nn.Dropout(dropout, masks));
        d.add(wrap.apply(new io.gan4j.core.nn.Conv2d(64, 128, 5, 2, 2, g))).add(new io.gan4j.core.nn.LeakyReLU(0.2f));
        if (dropout > 0) d.add(new io.gan4j.core.nn.Dropout(dropout, masks));
        d.add(new io.gan4j.core.nn.Flatten()).add(wrap.apply(new io.gan4j.core.nn.Linear(6272, 1, g)));
        return sn ? d : io.gan4j.core.nn.Init.dcgan(d, g);
    }

    /**
     * RaSGAN (Jolicoeur-Martineau 2018): D judges whether a real sample looks more real than the average fake and
     * a fake less real than the average real; G the other way round. The generator's side uses the real logits of
     * the preceding D step (before D's update), held as constants: the reference code recomputes them with the
     * updated D, which this harness cannot reach without a change to the trainer.
     */
    static final class RelativisticAverage implements io.gan4j.core.loss.GanLoss {
        private Tensor lastReal;

        public Tensor discriminatorLoss(Tensor r, Tensor f) {
            lastReal = r.detach();
            return io.gan4j.core.loss.Losses.bceWithLogits(r.sub(f.mean()), 1f)
                    .add(io.gan4j.core.loss.Losses.bceWithLogits(f.sub(r.mean()), 0f)).mul(0.5f);
        }

        public Tensor generatorLoss(Tensor f) {
            Tensor r = lastReal;
            return io.gan4j.core.loss.Losses.bceWithLogits(r.sub(f.mean()), 0f)
                    .add(io.gan4j.core.loss.Losses.bceWithLogits(f.sub(r.mean()), 1f)).mul(0.5f);
        }

        public String name() { return "relativistic-average"; }
    }
}
