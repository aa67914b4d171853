package io.gan4j.core.backend.cpu;

import java.util.Random;

/**
 * COUNT independent products of one shape, m x n x k (NN, C of leading dimension LD), three ways, one reading
 * each per round after 4 rounds of warm-up: one after the other on one thread; split between two threads,
 * each product on one thread (as WinogradConvolution runs its 36 products); and one after the other, each on
 * both threads. It lives in the backend's package (CpuGemm is package-private). Not built by Maven:
 * <pre>
 * javac --add-modules jdk.incubator.vector -cp gan-core/target/classes -d /tmp/gs docs/bench/calibration/GemmShapes.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/gs:gan-core/target/classes io.gan4j.core.backend.cpu.GemmShapes 144 1024 256 1040 36
 * </pre>
 */
public final class GemmShapes {
    public static void main(String[] args) {
        int m = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int ld = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        CpuGemm serial = new CpuGemm(new Parallel(1), VectorSupport.gemmKernel());
        Parallel two = new Parallel(2);
        CpuGemm parallel = new CpuGemm(two, VectorSupport.gemmKernel());
        Random r = new Random(1);
        float[] a = new float[count * m * k];
        float[] b = new float[count * k * ld];
        float[] c = new float[count * m * ld];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat();
        }
        double flop = 2.0 * m * n * k * count;
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            for (int x = 0; x < count; x++) {
                serial.gemm(false, false, m, n, k, 1f, a, x * m * k, k, b, x * k * ld, ld, 0f, c, x * m * ld, ld);
            }
            long t1 = System.nanoTime();
            two.forRange(count, 1, (from, to) -> {
                for (int x = from; x < to; x++) {
                    serial.gemm(false, false, m, n, k, 1f, a, x * m * k, k, b, x * k * ld, ld, 0f, c, x * m * ld, ld);
                }
            });
            long t2 = System.nanoTime();
            for (int x = 0; x < count; x++) {
                parallel.gemm(false, false, m, n, k, 1f, a, x * m * k, k, b, x * k * ld, ld, 0f, c, x * m * ld, ld);
            }
            long t3 = System.nanoTime();
            if (round >= 4) {
                System.out.printf("GFLOP/s: one thread %.1f, a product per thread on two %.1f, each product on two %.1f%n",
                        flop / (t1 - t0), flop / (t2 - t1), flop / (t3 - t2));
            }
        }
        two.shutdown();
    }
}
