package io.gan4j.bench;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.data.LabeledImages;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import io.gan4j.core.train.BatchSource;
import io.gan4j.core.train.GanTrainer;
import io.gan4j.core.train.ImageBatches;
import io.gan4j.models.ConditionalGan;
import io.gan4j.models.Dcgan;
import io.gan4j.models.DcganMnist;
import io.gan4j.models.FlattenedBatches;
import io.gan4j.models.GanModel;
import io.gan4j.models.Models;
import io.gan4j.models.Srgan;
import io.gan4j.models.SrganLosses;
import io.gan4j.models.SrganTrainingStep;
import io.gan4j.models.VanillaGan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One full training iteration of each registered model at its paper's size on the CPU backend, as
 * DESIGN.md defines an iteration: nCritic D steps (real + generated batch, penalties included) and one G
 * step, then the optimizers' updates. The score is images per second: JMH divides by
 * {@link #BATCH} operations per call, so one "op" is one image of a batch of 16 (DESIGN.md's CPU batch).
 * For WGAN-GP an iteration also reads 4 more real batches for its extra critic steps; its images/s counts
 * generator images only. SRGAN, which GanTrainer does not train, is the nested {@link SrganIteration}.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -jar gan-bench/target/benchmarks.jar ModelTrainingBenchmark
 * -p model=dcgan-mnist}; the data are random images (throughput does not depend on pixel values).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xss4m"})
@State(Scope.Benchmark)
public class ModelTrainingBenchmark {
    /** Images per batch: DESIGN.md's CPU benchmark batch. */
    public static final int BATCH = 16;

    @Param({"vanilla", "dcgan-mnist", "dcgan-64", "cgan-mnist", "cgan-mnist-concat", "wgan-gp", "sngan-hinge"})
    public String model;

    @Param({"2"})
    public int threads;

    private Backend backend;
    private GanTrainer trainer;

    @Setup
    public void setUp() {
        backend = new CpuBackend(threads);
        Device.use(backend);   // layers allocate their parameters on the current device
        Generator rng = new Generator(42);
        GanModel<?> m = Models.get(model);
        trainer = m.trainer(rng, backend, data(m, rng)).build();
    }

    /** Random images of the model's shape (labelled for a conditional model, flat for the MLPs). */
    private BatchSource data(GanModel<?> m, Generator rng) {
        int channels;
        int size;
        int classes = 0;
        if (m.architecture() instanceof Dcgan a) {
            channels = a.channels();
            size = a.imageSize();
        } else if (m.architecture() instanceof DcganMnist a) {
            channels = a.channels();
            size = a.imageSize();
        } else if (m.architecture() instanceof ConditionalGan a) {
            channels = a.channels();
            size = a.imageSize();
            classes = a.classes();
        } else if (m.architecture() instanceof VanillaGan a) {
            channels = 1;
            size = (int) Math.round(Math.sqrt(a.dataDim()));
        } else {
            throw new IllegalArgumentException("benchmark: no data for " + m.name());
        }
        int n = 4 * BATCH;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % Math.max(1, classes);
        }
        LabeledImages images = new LabeledImages(random(n * channels * size * size), labels, n, channels, size, size);
        BatchSource batches = new ImageBatches(images, BATCH, classes, rng, backend);
        return m.architecture() instanceof VanillaGan ? new FlattenedBatches(batches) : batches;
    }

    static float[] random(int length) {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    @TearDown
    public void tearDown() {
        Device.use(null);
        backend.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float trainingIteration() {
        return trainer.trainStep().gLoss();
    }

    /**
     * SRGAN's paired step at the paper's size (96x96 HR, 24x24 LR crops, SRResNet x4 with 16 blocks), with the
     * pixel MSE as content loss (the VGG19 weights are the user's file, which a benchmark cannot assume).
     * Batch 4, not 16: the CPU backend's im2col of the 9x9 tail convolution over a whole batch of 96x96
     * images takes 64*81 x N*9216 floats, 3 GB at N = 16.
     */
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1, time = 10)
    @Measurement(iterations = 3, time = 10)
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xss4m", "-Xmx3g"})
    @State(Scope.Benchmark)
    public static class SrganIteration {
        public static final int BATCH = 4;

        @Param({"2"})
        public int threads;

        private Backend backend;
        private SrganTrainingStep step;
        private Tensor lowRes;
        private Tensor highRes;

        @Setup
        public void setUp() {
            backend = new CpuBackend(threads);
            Device.use(backend);
            Generator rng = new Generator(42);
            GanModel<Srgan> m = Models.srgan();
            Srgan a = m.architecture();
            step = new SrganTrainingStep(a.generator(rng), a.discriminator(rng), m.recipe(), SrganLosses.paper(), null);
            int c = a.channels();
            highRes = MemoryScope.detached(() -> Tensor.of(backend,
                    random(BATCH * c * a.hrSize() * a.hrSize()), BATCH, c, a.hrSize(), a.hrSize()));
            lowRes = MemoryScope.detached(() -> Tensor.of(backend,
                    random(BATCH * c * a.lrSize() * a.lrSize()), BATCH, c, a.lrSize(), a.lrSize()));
        }

        @TearDown
        public void tearDown() {
            Device.use(null);
            backend.close();
        }

        @Benchmark
        @OperationsPerInvocation(BATCH)
        public float trainingIteration() {
            return step.train(lowRes, highRes).gLoss();
        }
    }
}
