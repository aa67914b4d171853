package io.gan4j.bench;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Single-precision GEMM of the CPU backend through the public {@link Backend} API: SGEMM 1024^3 and the
 * GEMM shapes of one dcgan-mnist training iteration (batch 64; convolutions are im2col over the whole batch,
 * [K x CRS] x [CRS x N*P*Q]). The {@code gflop} line of the output is the rate in GFLOP/s (JMH prints the
 * counter's unit as ops/s); the primary score is GEMM calls per second.
 *
 * <p>Run: {@code java -jar gan-bench/target/benchmarks.jar GemmBenchmark -wi 3 -i 5 -w 1s -r 1s}, and
 * {@code -p shape=sgemm1024} for one shape.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {

    /** One GEMM problem: transposes and m x n x k; all operands dense (leading dimension = row length). */
    @State(Scope.Benchmark)
    public static class Problem {
        /**
         * name:TT:m:n:k, TT = transposes of A and B. Linear layers compute x W^T (W is [out, in]); their
         * backward passes are the NN (input gradient) and TN (weight gradient) products. Convolution forward
         * is NN, backward-data TN, backward-filter NT; each ConvT uses the same three with roles swapped.
         */
        @Param({
            "sgemm1024:NN:1024:1024:1024",
            // Linear(100 -> 7*7*256) of G
            "linear100x12544.fwd:NT:64:12544:100",
            "linear100x12544.dx:NN:64:100:12544",
            "linear100x12544.dw:TN:12544:100:64",
            // Linear(6272 -> 1) of D
            "linear6272x1.fwd:NT:64:1:6272",
            "linear6272x1.dx:NN:64:6272:1",
            "linear6272x1.dw:TN:1:6272:64",
            // Conv(1 -> 64, k5, s2) of D and ConvT(64 -> 1) of G: K=64, CRS=25, NPQ=64*14*14
            "conv1x64.fwd:NN:64:12544:25",
            "conv1x64.bwdData:TN:25:12544:64",
            "conv1x64.bwdFilter:NT:64:25:12544",
            // Conv(64 -> 128, k5, s2) of D and ConvT(128 -> 64) of G: K=128, CRS=1600, NPQ=64*7*7
            "conv64x128.fwd:NN:128:3136:1600",
            "conv64x128.bwdData:TN:1600:3136:128",
            "conv64x128.bwdFilter:NT:128:1600:3136",
            // ConvT(256 -> 128, k5, s1) of G, as a convolution 128 -> 256 at 7x7: K=256, CRS=3200, NPQ=3136
            "conv128x256.fwd:NN:256:3136:3200",
            "conv128x256.bwdData:TN:3200:3136:256",
            "conv128x256.bwdFilter:NT:256:3200:3136",
        })
        public String shape;

        @Param({"1", "2"})
        public int threads;

        Backend backend;
        boolean transA;
        boolean transB;
        int m;
        int n;
        int k;
        Buffer a;
        Buffer b;
        Buffer c;
        double gflopPerCall;

        @Setup
        public void setUp() {
            String[] f = shape.split(":");
            transA = f[1].charAt(0) == 'T';
            transB = f[1].charAt(1) == 'T';
            m = Integer.parseInt(f[2]);
            n = Integer.parseInt(f[3]);
            k = Integer.parseInt(f[4]);
            gflopPerCall = 2.0 * m * n * k / 1e9;
            backend = new CpuBackend(threads);
            SplittableRandom r = new SplittableRandom(42);
            a = backend.upload(random(r, m * k), 0, m * k);
            b = backend.upload(random(r, k * n), 0, k * n);
            c = backend.allocate((long) m * n);
        }

        @TearDown
        public void tearDown() {
            a.close();
            b.close();
            c.close();
            backend.close();
        }

        private static float[] random(SplittableRandom r, int length) {
            float[] x = new float[length];
            for (int i = 0; i < length; i++) {
                x[i] = (float) (r.nextDouble() * 2 - 1);
            }
            return x;
        }
    }

    /** GFLOP done; JMH divides it by the measured time, so its line reads GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;   // JMH does not reset aux counters between iterations
        }
    }

    @Benchmark
    public void gemm(Problem p, Flops flops) {
        int lda = p.transA ? p.m : p.k;
        int ldb = p.transB ? p.k : p.n;
        p.backend.gemm(p.transA, p.transB, p.m, p.n, p.k, 1f, p.a, lda, 0, p.b, ldb, 0, 0f, p.c, p.n, 0, 1);
        flops.gflop += p.gflopPerCall;
    }
}
