package io.gan4j.core.train;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.data.GaussianMixture2d;
import io.gan4j.core.latent.GaussianMixturePrior;
import io.gan4j.core.latent.LatentPrior;
import io.gan4j.core.loss.GanLoss;
import io.gan4j.core.loss.GradientPenalty;
import io.gan4j.core.loss.ModeSeekingRegularizer;
import io.gan4j.core.ops.Ops;
import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.nn.BatchNorm1d;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Linear;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.optim.Adam;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanTrainerTest {
    private static final Backend CPU = Device.cpu();

    /** A small GAN on the ring; everything derived from the seed (also used by {@link BestCheckpointTest}). */
    static GanTrainer trainer(long seed, GanLoss loss, boolean penalty, BatchSource data, List<StepStats> log) {
        return trainer(seed, loss, penalty, data, log, false, null);
    }

    private static GanTrainer trainer(long seed, GanLoss loss, boolean penalty, BatchSource data, List<StepStats> log,
                                      boolean reuseFakeBatch, int[] generatorCalls) {
        return trainer(new Generator(seed), LatentPrior.gaussian(4), loss, penalty, data, log, reuseFakeBatch,
                generatorCalls);
    }

    private static GanTrainer trainer(Generator rng, LatentPrior prior, GanLoss loss, boolean penalty, BatchSource data,
                                      List<StepStats> log, boolean reuseFakeBatch, int[] generatorCalls) {
        Module g = new Sequential(new Linear(4, 16, rng), new ReLU(), new Linear(16, 2, rng));
        if (generatorCalls != null) {
            g = new Counting(g, generatorCalls);
        }
        Module d = new Sequential(new Linear(2, 16, rng), new LeakyReLU(0.2f), new Linear(16, 1, rng));
        Adam.Config c = Adam.Config.defaults().withLr(1e-3f).withBetas(0.5f, 0.999f);
        GanTrainer.Builder b = GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), c))
                .discriminator(d, new Adam(d.namedParameters(), c))
                .loss(loss).latentPrior(prior).random(rng).backend(CPU).ema(0.9f).reuseFakeBatch(reuseFakeBatch)
                .data(data != null ? data : new MixtureBatches(GaussianMixture2d.ring8(), 32, rng, CPU));
        if (penalty) {
            b.gradientPenalty(new GradientPenalty(rng)).nCritic(2);
        }
        if (log != null) {
            b.callback(log::add);
        }
        return b.build();
    }

    /** Counts the forward passes of the module it wraps. */
    private static final class Counting extends Module {
        private final Module inner;
        private final int[] calls;

        Counting(Module inner, int[] calls) {
            this.inner = registerModule("inner", inner);
            this.calls = calls;
        }

        @Override
        public Tensor forward(Tensor x) {
            calls[0]++;
            return inner.forward(x);
        }
    }

    private static Map<String, Tensor> weights(GanTrainer t) {
        return t.generator().stateDict();
    }

    @Test
    void fixedNoiseStaysFixedAndLeavesTrainingAlone() {
        GanTrainer t = trainer(5, GanLoss.named("non-saturating"), false, null, null);
        float[] before = t.fixedNoise(6).toArray();
        float[] gridBefore = t.sample(t.fixedNoise(6), null).toArray();
        t.train(3);
        assertArrayEquals(before, t.fixedNoise(6).toArray(), "fixed noise after training steps");
        assertFalse(java.util.Arrays.equals(gridBefore, t.sample(t.fixedNoise(6), null).toArray()),
                "the grid must show the generator change");
        // drawing it consumed nothing of the training stream: same weights as a run that never drew it
        GanTrainer plain = trainer(5, GanLoss.named("non-saturating"), false, null, null);
        plain.train(3);
        weights(plain).forEach((k, v) -> assertArrayEquals(v.toArray(), weights(t).get(k).toArray(), k));
    }

    @Test
    void reusingTheFakeBatchRunsTheGeneratorOncePerIterationAndStillTrainsIt() {
        int[] calls = {0};
        GanTrainer plain = trainer(8, GanLoss.named("non-saturating"), false, null, null, false, calls);
        plain.train(4);
        assertEquals(8, calls[0], "a fresh batch for the generator step: two forward passes per iteration");

        calls[0] = 0;
        List<StepStats> log = new ArrayList<>();
        GanTrainer reuse = trainer(8, GanLoss.named("non-saturating"), false, null, log, true, calls);
        Map<String, float[]> before = new java.util.HashMap<>();
        weights(reuse).forEach((k, v) -> before.put(k, v.toArray()));
        reuse.train(4);
        assertEquals(4, calls[0], "reused batch: one forward pass per iteration");
        for (StepStats s : log) {
            assertTrue(s.gGradNorm() > 0 && Float.isFinite(s.gLoss()), s.toString());
        }
        weights(reuse).forEach((k, v) -> assertFalse(java.util.Arrays.equals(before.get(k), v.toArray()),
                "generator weight " + k + " must move"));

        // one iteration: the D step is the same either way (same real batch, same noise, G's batch detached);
        // only the batch of the G step differs
        GanTrainer plainOne = trainer(9, GanLoss.named("non-saturating"), false, null, null, false, null);
        GanTrainer reuseOne = trainer(9, GanLoss.named("non-saturating"), false, null, null, true, null);
        plainOne.train(1);
        reuseOne.train(1);
        assertOnlyTheGeneratorsDiffer(plainOne, reuseOne, "the G steps trained on different batches");
    }

    /** A small GAN on the ring whose generator has batch norm (the layer "1"), with an EMA of decay 0.5. */
    private static GanTrainer batchNormTrainer(long seed, int standingBatches) {
        Generator rng = new Generator(seed);
        Module g = new Sequential(new Linear(4, 16, rng), new BatchNorm1d(16), new ReLU(), new Linear(16, 2, rng));
        Module d = new Sequential(new Linear(2, 16, rng), new LeakyReLU(0.2f), new Linear(16, 1, rng));
        Adam.Config c = Adam.Config.defaults().withLr(1e-2f).withBetas(0.5f, 0.999f);
        return GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), c))
                .discriminator(d, new Adam(d.namedParameters(), c))
                .loss(GanLoss.named("non-saturating")).latentDim(4).random(rng).backend(CPU).ema(0.5f)
                .standingStatistics(standingBatches, 64)
                .data(new MixtureBatches(GaussianMixture2d.ring8(), 32, rng, CPU)).build();
    }

    /** The per-feature mean of the first layer's output (what batch norm "1" sees) under the EMA weights. */
    private static float[] averagedPreNormMean(GanTrainer t) {
        Module first = t.generator().namedChildren().get("0");
        return t.ema().withAveragedWeights(() -> {
            try (GradMode off = GradMode.disable()) {
                return first.forward(Tensor.randn(CPU, new Generator(99), 0f, 1f, 20_000, 4)).mean(0).toArray();
            }
        });
    }

    @Test
    void emaSamplesUseBatchNormStatisticsMeasuredForTheAveragedWeights() {
        GanTrainer t = batchNormTrainer(21, 16);
        t.train(3);
        float[] live = t.generator().stateDict().get("1.running_mean").toArray();
        assertArrayEquals(live, t.ema().stateDict().get("1.running_mean").toArray(), "EMA copies the statistics");
        t.sample(t.fixedNoise(8), null);
        float[] standing = t.ema().stateDict().get("1.running_mean").toArray();
        float[] expected = averagedPreNormMean(t);
        double standingError = 0;
        double liveError = 0;
        for (int i = 0; i < expected.length; i++) {
            standingError = Math.max(standingError, Math.abs(expected[i] - standing[i]));
            liveError = Math.max(liveError, Math.abs(expected[i] - live[i]));
        }
        // 1,024 samples measure the means to a few hundredths; the live statistics (momentum 0.1) trail behind
        assertTrue(standingError < 0.05, "standing statistics off by " + standingError);
        assertTrue(liveError > 4 * standingError, "the live statistics should be farther off, or this test shows "
                + "nothing: " + liveError + " vs " + standingError);
        assertArrayEquals(live, t.generator().stateDict().get("1.running_mean").toArray(),
                "the trained network keeps its own statistics");
    }

    @Test
    void measuringStandingStatisticsLeavesTrainingAndLaterSamplesAlone() {
        GanTrainer sampled = batchNormTrainer(22, 16);
        sampled.train(3);
        float[] first = sampled.sample(sampled.fixedNoise(8), null).toArray();
        assertArrayEquals(first, sampled.sample(sampled.fixedNoise(8), null).toArray(), "same step, same samples");
        sampled.train(3);
        GanTrainer plain = batchNormTrainer(22, 16);
        plain.train(6);
        weights(plain).forEach((k, v) -> assertArrayEquals(v.toArray(), weights(sampled).get(k).toArray(), k));
        plain.ema().stateDict().forEach((k, v) ->
                assertArrayEquals(v.toArray(), sampled.ema().stateDict().get(k).toArray(), "EMA " + k));
        assertArrayEquals(plain.sample(plain.fixedNoise(8), null).toArray(),
                sampled.sample(sampled.fixedNoise(8), null).toArray(), "samples at step 6");
    }

    @Test
    void zeroStandingBatchesKeepTheTrainedStatistics() {
        GanTrainer t = batchNormTrainer(23, 0);
        t.train(4);
        t.sample(t.fixedNoise(8), null);
        assertArrayEquals(t.generator().stateDict().get("1.running_var").toArray(),
                t.ema().stateDict().get("1.running_var").toArray());
        assertThrows(IllegalArgumentException.class, () -> batchNormTrainer(23, -1));
    }

    @Test
    void resumedRunEndsWithBitIdenticalWeights(@TempDir Path dir) throws Exception {
        for (String loss : List.of("non-saturating", "wasserstein", "non-saturating+reuse")) {
            boolean gp = loss.equals("wasserstein");
            boolean reuse = loss.endsWith("+reuse");
            GanLoss objective = GanLoss.named(loss.replace("+reuse", ""));
            GanTrainer straight = trainer(11, objective, gp, null, null, reuse, null);
            straight.train(20);

            GanTrainer first = trainer(11, objective, gp, null, null, reuse, null);
            first.train(10);
            Path ckpt = dir.resolve(loss + ".safetensors");
            first.save(ckpt);
            GanTrainer resumed = trainer(11, objective, gp, null, null, reuse, null);
            resumed.resume(ckpt);
            assertEquals(10, resumed.step());
            resumed.train(10);

            for (Map.Entry<String, Tensor> e : weights(straight).entrySet()) {
                assertArrayEquals(e.getValue().toArray(), weights(resumed).get(e.getKey()).toArray(),
                        loss + ": generator weight " + e.getKey());
            }
            Map<String, Tensor> dStraight = straight.discriminator().stateDict();
            resumed.discriminator().stateDict().forEach((k, v) ->
                    assertArrayEquals(dStraight.get(k).toArray(), v.toArray(), loss + ": discriminator weight " + k));
            straight.ema().stateDict().forEach((k, v) ->
                    assertArrayEquals(v.toArray(), resumed.ema().stateDict().get(k).toArray(), loss + ": EMA " + k));
        }
    }

    @Test
    void theNoiseComesFromTheRunsPriorAndAResumeWithAnotherPriorIsRefused(@TempDir Path dir) throws Exception {
        LatentPrior mixture = new GaussianMixturePrior(4, 3);
        Generator rng = new Generator(12);
        GanTrainer t = trainer(rng, mixture, GanLoss.named("non-saturating"), false, null, null, false, null);
        assertEquals(mixture, t.latentPrior());
        Generator twin = new Generator(12, rng.offset());
        assertArrayEquals(mixture.sample(CPU, twin, 8).toArray(), t.noise(8).toArray());
        t.train(3);
        Path ckpt = dir.resolve("mixture.safetensors");
        t.save(ckpt);

        GanTrainer same = trainer(new Generator(12), new GaussianMixturePrior(4, 3), GanLoss.named("non-saturating"),
                false, null, null, false, null);
        same.resume(ckpt);
        assertEquals(3, same.step());
        for (LatentPrior other : List.of(LatentPrior.gaussian(4), new GaussianMixturePrior(4, 5))) {
            GanTrainer wrong = trainer(new Generator(12), other, GanLoss.named("non-saturating"), false, null, null,
                    false, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrong.resume(ckpt));
            assertTrue(e.getMessage().contains(ckpt.toString()) && e.getMessage().contains(mixture.toString())
                    && e.getMessage().contains(other.toString()), e.getMessage());
        }
    }

    @Test
    void callbacksSeeProbabilitiesAndFiniteNorms() {
        List<StepStats> log = new ArrayList<>();
        trainer(3, GanLoss.named("non-saturating"), false, null, log).train(5);
        assertEquals(5, log.size());
        for (StepStats s : log) {
            assertTrue(s.dReal() > 0 && s.dReal() < 1 && s.dFake() > 0 && s.dFake() < 1, s.toString());
            assertTrue(s.dGradNorm() > 0 && s.gGradNorm() > 0, s.toString());
        }
        assertEquals(5, log.get(4).step());
    }

    @Test
    void reportedGradientNormsAreTheNormsOfTheGradientsOfTheStep() {
        List<StepStats> log = new ArrayList<>();
        GanTrainer t = trainer(4, GanLoss.named("non-saturating"), false, null, log);
        t.train(2);
        // each network's gradients of the last step are still in place: the next step clears them
        assertEquals(hostNorm(t.discriminator()), log.get(1).dGradNorm(), 1e-5 * hostNorm(t.discriminator()));
        assertEquals(hostNorm(t.generator()), log.get(1).gGradNorm(), 1e-5 * hostNorm(t.generator()));
    }

    private static double hostNorm(Module m) {
        double sum = 0;
        for (Tensor p : m.parameters()) {
            for (float g : p.grad().toArray()) {
                sum += (double) g * g;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void divergenceStopsWithAClearMessageAndLeavesTheLastCheckpointIntact(@TempDir Path dir) throws Exception {
        Generator dataRng = new Generator(5);
        BatchSource poisoned = new BatchSource() {
            int calls;

            @Override
            public Batch next() {
                calls++;
                Tensor x = GaussianMixture2d.ring8().sample(CPU, dataRng, 32);
                return new Batch(calls == 4 ? x.mul(Float.NaN) : x, null);
            }

            @Override
            public int batchSize() {
                return 32;
            }

            @Override
            public Map<String, String> state() {
                return Map.of();
            }

            @Override
            public void restore(Map<String, String> state) {
            }
        };
        GanTrainer t = trainer(7, GanLoss.named("non-saturating"), false, poisoned, null);
        t.train(3);
        Path ckpt = dir.resolve("last.safetensors");
        t.save(ckpt);
        byte[] before = Files.readAllBytes(ckpt);
        Map<String, float[]> weightsBefore = new java.util.HashMap<>();
        t.discriminator().stateDict().forEach((k, v) -> weightsBefore.put(k, v.toArray()));

        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, t::trainStep);
        assertTrue(e.getMessage().contains("step 4") && e.getMessage().contains("NaN"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(ckpt));
        t.discriminator().stateDict().forEach((k, v) ->
                assertArrayEquals(weightsBefore.get(k), v.toArray(), "weight " + k + " changed by the NaN step"));
    }

    @Test
    void theSameStateSavesToTheSameBytesWhateverOrderItsMetadataMapsIterateIn(@TempDir Path dir) throws Exception {
        // Map.of iterates in an order that changes from one JVM to the next; here the data's state and the notes
        // come in one order for the first save and the reverse for the second
        MixtureBatches ring = new MixtureBatches(GaussianMixture2d.ring8(), 32, new Generator(5), CPU);
        BatchSource flipping = new BatchSource() {
            int calls;

            @Override
            public Batch next() {
                return ring.next();
            }

            @Override
            public int batchSize() {
                return 32;
            }

            @Override
            public Map<String, String> state() {
                return inOrder(calls++ % 2 == 0, "data.epoch", "3", "data.position", "17");
            }

            @Override
            public void restore(Map<String, String> state) {
            }
        };
        GanTrainer t = trainer(7, GanLoss.named("non-saturating"), false, flipping, null);
        t.train(2);
        t.save(dir.resolve("a.safetensors"), inOrder(true, "score", "0.5", "note", "best"));
        t.save(dir.resolve("b.safetensors"), inOrder(false, "score", "0.5", "note", "best"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.safetensors")),
                Files.readAllBytes(dir.resolve("b.safetensors")));
    }

    private static Map<String, String> inOrder(boolean forward, String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        if (forward) {
            m.put(k1, v1);
            m.put(k2, v2);
        } else {
            m.put(k2, v2);
            m.put(k1, v1);
        }
        return m;
    }

    /** A conditional generator on the ring that records the labels of every batch it draws. */
    private static final class RecordingConditional extends Module implements Conditional {
        private final Linear body;
        private final List<float[]> labels = new ArrayList<>();

        RecordingConditional(Generator rng) {
            this.body = registerModule("body", new Linear(5, 2, rng));
        }

        @Override
        public Tensor forward(Tensor z, Tensor l) {
            labels.add(l.toArray());
            return body.forward(Ops.concat(1, z, l.reshape(l.size(0), 1)));
        }

        @Override
        public Tensor forward(Tensor z) {
            throw new UnsupportedOperationException("needs labels");
        }
    }

    /** Ring samples with labels 0, 1, 2, 0, ... (the labels only have to exist for the trainer to draw fake ones). */
    private static BatchSource labelledRing(Generator rng, int batch) {
        MixtureBatches ring = new MixtureBatches(GaussianMixture2d.ring8(), batch, rng, CPU);
        return new BatchSource() {
            @Override
            public Batch next() {
                float[] l = new float[batch];
                for (int i = 0; i < batch; i++) {
                    l[i] = i % 3;
                }
                return new Batch(ring.next().samples(), Tensor.of(CPU, l, batch));
            }

            @Override
            public int batchSize() {
                return batch;
            }

            @Override
            public int classes() {
                return 3;
            }

            @Override
            public Map<String, String> state() {
                return ring.state();
            }

            @Override
            public void restore(Map<String, String> state) {
                ring.restore(state);
            }
        };
    }

    private static RecordingConditional trainConditional(ModeSeekingRegularizer modeSeeking, int steps) {
        Generator rng = new Generator(31);
        RecordingConditional g = new RecordingConditional(rng);
        Module d = new Sequential(new Linear(2, 16, rng), new LeakyReLU(0.2f), new Linear(16, 1, rng));
        Adam.Config c = Adam.Config.defaults().withLr(1e-3f).withBetas(0.5f, 0.999f);
        List<StepStats> log = new ArrayList<>();
        GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), c))
                .discriminator(d, new Adam(d.namedParameters(), c))
                .loss(GanLoss.named("non-saturating")).latentDim(4).random(rng).backend(CPU).reuseFakeBatch(true)
                .modeSeeking(modeSeeking).data(labelledRing(rng, 7)).callback(log::add).build().train(steps);
        for (StepStats s : log) {
            assertTrue(Float.isFinite(s.gLoss()) && s.gGradNorm() > 0, s.toString());
        }
        return g;
    }

    @Test
    void modeSeekingPairsTheHalvesOfEveryBatchWithTheSameLabels() {
        RecordingConditional plain = trainConditional(null, 6);
        RecordingConditional seeking = trainConditional(new ModeSeekingRegularizer(1f), 6);
        assertEquals(6, seeking.labels.size(), "one generated batch per iteration");
        for (float[] l : seeking.labels) {
            for (int i = 0; i < 3; i++) {
                assertEquals(l[i], l[3 + i], "pair " + i + " of " + java.util.Arrays.toString(l));
            }
        }
        // without mode seeking the labels are drawn independently: some pair differs
        boolean unpaired = plain.labels.stream().anyMatch(l -> l[0] != l[3] || l[1] != l[4] || l[2] != l[5]);
        assertTrue(unpaired, "labels without mode seeking should not come in pairs");
    }

    @Test
    void modeSeekingChangesOnlyTheGeneratorStep() {
        GanTrainer plain = ringTrainer(null);
        GanTrainer seeking = ringTrainer(new ModeSeekingRegularizer(1f));
        plain.train(1);
        seeking.train(1);
        // unlabelled data: the same draws either way, so D's step is the same and only G's loss differs
        assertOnlyTheGeneratorsDiffer(plain, seeking, "the term must change the generator's step");
    }

    @Test
    void topKChangesOnlyTheGeneratorStepAndOnlyOnceItKeepsFewerThanAll() {
        GanTrainer plain = ringTrainer(null);
        GanTrainer topK = ringTrainer(null, new TopKGeneratorUpdate(0.5f, 1, 0.5f));
        plain.train(1);
        topK.train(1);
        assertArrayEquals(weights(plain).get("2.weight").toArray(), weights(topK).get("2.weight").toArray(),
                "the first step keeps every sample");
        plain.train(1);
        topK.train(1);
        assertOnlyTheGeneratorsDiffer(plain, topK, "keeping 4 of 8 fakes must change the generator's step");
    }

    /** Equal discriminators, and generators whose last layer differs (the step changed only G's update). */
    private static void assertOnlyTheGeneratorsDiffer(GanTrainer a, GanTrainer b, String why) {
        a.discriminator().stateDict().forEach((k, v) -> assertArrayEquals(v.toArray(),
                b.discriminator().stateDict().get(k).toArray(), "discriminator weight " + k));
        assertFalse(java.util.Arrays.equals(weights(a).get("2.weight").toArray(),
                weights(b).get("2.weight").toArray()), why);
    }

    private static GanTrainer ringTrainer(ModeSeekingRegularizer modeSeeking) {
        return ringTrainer(modeSeeking, null);
    }

    private static GanTrainer ringTrainer(ModeSeekingRegularizer modeSeeking, TopKGeneratorUpdate topK) {
        Generator rng = new Generator(33);
        Module g = new Sequential(new Linear(4, 16, rng), new ReLU(), new Linear(16, 2, rng));
        Module d = new Sequential(new Linear(2, 16, rng), new LeakyReLU(0.2f), new Linear(16, 1, rng));
        Adam.Config c = Adam.Config.defaults().withLr(1e-3f).withBetas(0.5f, 0.999f);
        return GanTrainer.builder()
                .generator(g, new Adam(g.namedParameters(), c))
                .discriminator(d, new Adam(d.namedParameters(), c))
                .loss(GanLoss.named("non-saturating")).latentDim(4).random(rng).backend(CPU).reuseFakeBatch(true)
                .modeSeeking(modeSeeking).topK(topK).data(new MixtureBatches(GaussianMixture2d.ring8(), 8, rng, CPU))
                .build();
    }
}
