package io.gan4j.bench;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.backend.cpu.CpuBackend;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The convolutions of {@code dcgan-mnist} (DESIGN.md) on the CPU backend at batch 64: each layer's
 * forward and backward (data and weight gradient), and the whole set. The {@code gflop} counter is the
 * rate of useful work, 2 * {@link ConvGeometry#macs()} per kernel call, so JMH prints it in GFLOP/s
 * (its unit column says ops/s). The backend computes g1 (stride 1, 5x5) with Winograd's algorithm, which does
 * 2.1 times fewer multiply-adds than that count; the figure stays the direct convolution's work per second,
 * as convolution benchmarks count it. {@code -p winograd=false} measures im2col + GEMM for every layer.
 *
 * <p>FLOPs per layer call: 3 passes x 2 x macs (dcgan-mnist set: 23.4 GFLOP per fwd+bwd). Run:
 * <pre>
 * ./mvnw -B -q -o -pl gan-bench -am package -DskipTests
 * java --add-modules=jdk.incubator.vector -jar gan-bench/target/benchmarks.jar ConvBenchmark -f 1 -wi 5 -i 3
 * </pre>
 * and {@code -p threads=2} for the two-thread rows only. The warm-up is 10 s because the set's rate climbs for
 * the first 3-6 s of a fresh JVM while C2 compiles its passes (2026-12-01, one-second iterations from a cold
 * start: 12, 61, 64, 86, 92, 106 and then 93-112; another run 18, 83, 110 and then 116-127); with 4 s the first
 * measured iterations sometimes still ran 20 % slow. The target of issue 2 is the
 * {@code dcganMnistSet:gflop} row at 2 threads >= 78 GFLOP/s (40 % of the 2-core FP32 peak).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvBenchmark {
    private static final int BATCH = 64;

    /** Backend threads. */
    @Param({"1", "2"})
    public int threads;

    /** Whether the stride-1 5x5 layer (g1) uses Winograd's algorithm: {@code -p winograd=false} for im2col. */
    @Param({"true"})
    public boolean winograd;

    private Backend backend;
    private Layer d1;
    private Layer d2;
    private Layer g1;
    private Layer g2;
    private Layer g3;

    /** GFLOP done, per second of measurement: JMH divides OPERATIONS counters by the iteration time. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Work {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads, winograd);
        d1 = new Layer(backend, ConvGeometry.forward(BATCH, 1, 28, 28, 64, 5, 5, 2, 2, 2, 2), 1);
        d2 = new Layer(backend, ConvGeometry.forward(BATCH, 64, 14, 14, 128, 5, 5, 2, 2, 2, 2), 2);
        g1 = new Layer(backend, ConvGeometry.transposed(BATCH, 256, 7, 7, 128, 5, 5, 1, 1, 2, 2, 0, 0), 3);
        g2 = new Layer(backend, ConvGeometry.transposed(BATCH, 128, 7, 7, 64, 5, 5, 2, 2, 2, 2, 1, 1), 4);
        g3 = new Layer(backend, ConvGeometry.transposed(BATCH, 64, 14, 14, 1, 5, 5, 2, 2, 2, 2, 1, 1), 5);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    /** D: Conv 1->64 k5 s2 p2, 28x28 -> 14x14. */
    @Benchmark
    public void d1Conv(Work work) {
        work.gflop += d1.forwardBackward();
    }

    /** D: Conv 64->128 k5 s2 p2, 14x14 -> 7x7. */
    @Benchmark
    public void d2Conv(Work work) {
        work.gflop += d2.forwardBackward();
    }

    /** G: ConvT 256->128 k5 s1 p2, 7x7. */
    @Benchmark
    public void g1ConvT(Work work) {
        work.gflop += g1.forwardBackward();
    }

    /** G: ConvT 128->64 k5 s2 p2 op1, 7x7 -> 14x14. */
    @Benchmark
    public void g2ConvT(Work work) {
        work.gflop += g2.forwardBackward();
    }

    /** G: ConvT 64->1 k5 s2 p2 op1, 14x14 -> 28x28. */
    @Benchmark
    public void g3ConvT(Work work) {
        work.gflop += g3.forwardBackward();
    }

    /** All five layers, forward and backward: the convolution work of one dcgan-mnist G and D pass. */
    @Benchmark
    public void dcganMnistSet(Work work) {
        work.gflop += d1.forwardBackward() + d2.forwardBackward() + g1.forwardBackward()
                + g2.forwardBackward() + g3.forwardBackward();
    }

    /**
     * One layer's tensors, in the convolution's own terms: {@code a} is {@code [n,c,h,w]}, {@code b} is
     * {@code [n,k,p,q]}. A convolution maps a to b; a transposed convolution maps b to a with the same
     * three kernels in another order, so both cost one call of each.
     */
    private static final class Layer {
        private final Backend backend;
        private final ConvGeometry g;
        private final Buffer a;
        private final Buffer b;
        private final Buffer w;
        private final Buffer aOut;
        private final Buffer bOut;
        private final Buffer dw;

        Layer(Backend backend, ConvGeometry g, long seed) {
            this.backend = backend;
            this.g = g;
            a = random(backend, g.inputSize(), seed, 0);
            b = random(backend, g.outputSize(), seed, 1L << 32);
            w = random(backend, g.weightSize(), seed, 2L << 32);
            aOut = backend.allocate(g.inputSize());
            bOut = backend.allocate(g.outputSize());
            dw = backend.allocate(g.weightSize());
        }

        private static Buffer random(Backend backend, long size, long seed, long offset) {
            Buffer buf = backend.allocate(size);
            backend.randomNormal(buf, 0f, 1f, seed, offset);
            return buf;
        }

        /**
         * Conv: forward a -> bOut, backward data b -> aOut, weight grad (a, b).
         * ConvT: forward b -> aOut (backward data), backward data a -> bOut (forward), weight grad (a, b).
         *
         * @return the GFLOP done
         */
        double forwardBackward() {
            backend.conv2dForward(g, a, w, bOut);
            backend.conv2dBackwardData(g, b, w, aOut);
            backend.conv2dBackwardFilter(g, a, b, dw);
            return 3 * 2.0 * g.macs() / 1e9;
        }
    }
}
