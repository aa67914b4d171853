package io.gan4j.core.backend.cpu;

import java.util.Random;

/**
 * The Java GEMM micro-kernel alone, over the access pattern of one GEMM task: a 144 x 256 packed A block (24
 * micro-panels, kept in L2), 64 packed B slivers of depth 256, C with leading dimension LDC (default 1040);
 * slivers outside, panels inside, as {@code CpuGemm.block} runs them. Prints 8 readings of about a second. It
 * lives in the backend's package (the kernel is package-private). Not built by Maven:
 * <pre>
 * javac --add-modules jdk.incubator.vector -cp gan-core/target/classes -d /tmp/kb docs/bench/calibration/KernelBlock.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/kb:gan-core/target/classes io.gan4j.core.backend.cpu.KernelBlock [LDC]
 * </pre>
 */
public final class KernelBlock {
    public static void main(String[] args) {
        GemmKernel kernel = VectorSupport.gemmKernel();
        int ldc = args.length > 0 ? Integer.parseInt(args[0]) : 1040;
        int kc = CpuGemm.KC;
        int panels = 24;
        int slivers = 64;
        float[] a = new float[GemmKernel.MR * kc * panels];
        float[] b = new float[kernel.nr() * kc * slivers];
        float[] c = new float[ldc * GemmKernel.MR * panels];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 1e-3f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() * 1e-3f;
        }
        System.out.println(kernel.name() + ", ldc " + ldc);
        for (int rep = 0; rep < 8; rep++) {
            long t = System.nanoTime();
            int rounds = 200;
            for (int it = 0; it < rounds; it++) {
                for (int s = 0; s < slivers; s++) {
                    for (int p = 0; p < panels; p++) {
                        kernel.tile(kc, a, p * GemmKernel.MR * kc, b, s * kernel.nr() * kc, c,
                                p * GemmKernel.MR * ldc + s * kernel.nr(), ldc, GemmKernel.FROM_C, 1f);
                    }
                }
            }
            double flops = 2.0 * rounds * slivers * panels * GemmKernel.MR * kernel.nr() * kc;
            System.out.printf("%.1f GFLOP/s%n", flops / (System.nanoTime() - t));
        }
    }
}
