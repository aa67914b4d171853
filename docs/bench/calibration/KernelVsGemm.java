package io.gan4j.core.backend.cpu;

import java.util.*;

/**
 * The micro-kernel alone (KernelBlock's access pattern: a 144 x 256 A block, 64 B slivers, C of leading
 * dimension LDC) against the whole single-thread SGEMM 1024^3, alternating in one JVM, 32 measured rounds: how
 * much the GEMM around the kernel costs. Not built by Maven:
 * <pre>
 * javac --add-modules jdk.incubator.vector -cp gan-core/target/classes -d /tmp/kvg docs/bench/calibration/KernelVsGemm.java
 * java --add-modules=jdk.incubator.vector -cp /tmp/kvg:gan-core/target/classes io.gan4j.core.backend.cpu.KernelVsGemm 1024
 * </pre>
 */
public final class KernelVsGemm {
    public static void main(String[] args) {
        int ldc = Integer.parseInt(args[0]);
        GemmKernel kernel = VectorSupport.gemmKernel();
        int kc = CpuGemm.KC, panels = 24, slivers = 64;
        float[] a = new float[GemmKernel.MR * kc * panels], b = new float[kernel.nr() * kc * slivers];
        float[] c = new float[ldc * GemmKernel.MR * panels];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 1e-3f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 1e-3f;
        int n = 1024;
        float[] ga = new float[n * n], gb = new float[n * n], gc = new float[n * n];
        for (int i = 0; i < ga.length; i++) { ga[i] = r.nextFloat() - 0.5f; gb[i] = r.nextFloat() - 0.5f; }
        CpuGemm gemm = new CpuGemm(new Parallel(1), kernel);
        List<Double> kr = new ArrayList<>(), gr = new ArrayList<>(), ratio = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            long t = System.nanoTime();
            for (int it = 0; it < 8; it++)
                for (int s = 0; s < slivers; s++)
                    for (int p = 0; p < panels; p++)
                        kernel.tile(kc, a, p * GemmKernel.MR * kc, b, s * kernel.nr() * kc, c,
                                p * GemmKernel.MR * ldc + s * kernel.nr(), ldc, GemmKernel.FROM_C, 1f);
            double kf = 2.0 * 8 * slivers * panels * GemmKernel.MR * kernel.nr() * kc / (System.nanoTime() - t);
            t = System.nanoTime();
            for (int it = 0; it < 4; it++) gemm.gemm(false, false, n, n, n, 1f, ga, 0, n, gb, 0, n, 0f, gc, 0, n);
            double gf = 4 * 2.0 * n * n * n / (System.nanoTime() - t);
            if (round >= 8) { kr.add(kf); gr.add(gf); ratio.add(gf / kf); }
        }
        Collections.sort(kr); Collections.sort(gr); Collections.sort(ratio);
        int h = kr.size() / 2;
        System.out.printf("ldc %d: kernel alone median %.1f, gemm 1 thread median %.1f, gemm/kernel median %.3f (q1 %.3f q3 %.3f)%n",
                ldc, kr.get(h), gr.get(h), ratio.get(h), ratio.get(h / 2), ratio.get(h + h / 2));
    }
}
