import java.util.*;
import java.util.function.*;

/** Paired timing of two CpuGemm variants in one JVM: alternate A and B every call group, compare per pair. */
public class Pair {
    interface G { void run(); }
    public static void main(String[] args) throws Exception {
        int m = Integer.parseInt(args[0]), n = Integer.parseInt(args[1]), k = Integer.parseInt(args[2]);
        boolean ta = args[3].charAt(0) == 'T', tb = args[3].charAt(1) == 'T';
        int threads = Integer.parseInt(args[4]);
        float[] a = new float[m * k], b = new float[k * n], c1 = new float[m * n], c2 = new float[m * n];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        int lda = ta ? m : k, ldb = tb ? k : n;
        G ga = gemm("io.gan4j.core.backend.cpuA", threads, ta, tb, m, n, k, a, lda, b, ldb, c1);
        G gb = gemm("io.gan4j.core.backend.cpuB", threads, ta, tb, m, n, k, a, lda, b, ldb, c2);
        double gf = 2.0 * m * n * k / 1e9;
        int reps = Math.max(1, (int) (0.05 / (gf / (40.0 * threads))));
        List<Double> ra = new ArrayList<>(), rb = new ArrayList<>(), ratio = new ArrayList<>();
        for (int round = 0; round < 80; round++) {
            boolean aFirst = (round & 1) == 0;
            double ta1 = 0, tb1 = 0;
            for (int side = 0; side < 2; side++) {
                G g = (side == 0) == aFirst ? ga : gb;
                long t = System.nanoTime();
                for (int i = 0; i < reps; i++) g.run();
                double s = (System.nanoTime() - t) / 1e9;
                if ((side == 0) == aFirst) ta1 = s; else tb1 = s;
            }
            if (round >= 10) { ra.add(gf * reps / ta1); rb.add(gf * reps / tb1); ratio.add(ta1 / tb1); }
        }
        if (!Arrays.equals(c1, c2)) System.out.println("RESULTS DIFFER");
        Collections.sort(ra); Collections.sort(rb); Collections.sort(ratio);
        int h = ra.size() / 2;
        System.out.printf("%s %dx%dx%d t%d: A median %.1f (q1 %.1f q3 %.1f) B median %.1f (q1 %.1f q3 %.1f) GF/s; speedup B/A median %.3f (q1 %.3f q3 %.3f)%n",
                args[3], m, n, k, threads, ra.get(h), ra.get(h / 2), ra.get(h + h / 2), rb.get(h), rb.get(h / 2), rb.get(h + h / 2),
                ratio.get(h), ratio.get(h / 2), ratio.get(h + h / 2));
        System.exit(0);
    }

    static G gemm(String pkg, int threads, boolean ta, boolean tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c) throws Exception {
        Class<?> pc = Class.forName(pkg + ".Parallel");
        var pcons = pc.getDeclaredConstructor(int.class); pcons.setAccessible(true);
        Object par = pcons.newInstance(threads);
        Class<?> gc = Class.forName(pkg + ".CpuGemm");
        var gcons = gc.getDeclaredConstructor(pc); gcons.setAccessible(true);
        Object g = gcons.newInstance(par);
        var mth = gc.getDeclaredMethod("gemm", boolean.class, boolean.class, int.class, int.class, int.class, float.class,
                float[].class, int.class, int.class, float[].class, int.class, int.class, float.class, float[].class, int.class, int.class);
        mth.setAccessible(true);
        java.lang.invoke.MethodHandle mh = java.lang.invoke.MethodHandles.lookup().unreflect(mth).bindTo(g);
        return () -> { try { mh.invoke(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n); } catch (Throwable e) { throw new RuntimeException(e); } };
    }
}
