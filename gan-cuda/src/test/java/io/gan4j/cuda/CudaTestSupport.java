package io.gan4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.cpu.CpuBackend;

/**
 * Shared by the GPU tests: one backend per path, created once per JVM, and the reason when there is no CUDA.
 * Every GPU test starts with {@link #cuda(Path)}, which skips it (JUnit assumption) with the reason printed.
 */
final class CudaTestSupport {
    /** The paths the backend can take; each is tested against the CPU backend. */
    enum Path {
        /** cuBLAS GEMM and cuDNN convolution (what a machine with both libraries uses) */
        LIBRARIES(true, true),
        /** cuBLAS missing: our GEMM kernel, cuDNN convolution */
        KERNEL_GEMM(false, true),
        /** cuDNN missing: im2col + cuBLAS */
        IM2COL_CUBLAS(true, false),
        /** neither library: our GEMM kernel and im2col (the full fallback) */
        KERNELS_ONLY(false, false);

        final boolean cublas;
        final boolean cudnn;

        Path(boolean cublas, boolean cudnn) {
            this.cublas = cublas;
            this.cudnn = cudnn;
        }
    }

    /** FP32 everywhere (no TF32): relative error bound of issue 5. */
    static final double TOL = 1e-5;

    private static final Map<Path, Object> BACKENDS = new EnumMap<>(Path.class);   // CudaBackend or reason
    private static volatile String noCuda;
    private static volatile boolean printed;
    static final CpuBackend CPU = new CpuBackend(2);

    private CudaTestSupport() {
    }

    /** The backend of that path; skips the test with the reason when there is no CUDA here. */
    static synchronized CudaBackend cuda(Path path) {
        if (noCuda == null && !BACKENDS.containsKey(path)) {
            try {
                CudaBackend b = CudaBackend.create(CudaBackend.Options.defaults().withLibraries(path.cublas, path.cudnn));
                BACKENDS.put(path, b);
                System.out.println("[cuda-test] " + path + ": " + b);
            } catch (BackendUnavailableException e) {
                noCuda = e.getMessage();
            }
        }
        if (noCuda != null && !printed) {
            printed = true;
            System.out.println("[cuda-test] skipping GPU tests: no CUDA: " + noCuda);
        }
        assumeTrue(noCuda == null, () -> "no CUDA: " + noCuda);
        CudaBackend b = (CudaBackend) BACKENDS.get(path);
        // a GPU, but without this path's library: the fallback runs instead, and the fallback paths test it
        boolean libraries = !(path.cublas && !b.usesCublas() || path.cudnn && !b.usesCudnn());
        assumeTrue(libraries, () -> path + " not available here: " + b.paths());
        return b;
    }

    static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (r.nextFloat() * 2 - 1) * scale;
        return a;
    }

    static float[] download(Backend backend, Buffer b) {
        float[] out = new float[(int) b.length()];
        backend.download(b, out, 0);
        return out;
    }

    /** max |gpu - cpu| / max |cpu| (1 where cpu is all zeros and gpu is not). */
    static double relErr(float[] gpu, float[] cpu) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < cpu.length; i++) {
            if (Float.isNaN(cpu[i]) || Float.isNaN(gpu[i])) {
                if (Float.isNaN(cpu[i]) != Float.isNaN(gpu[i])) return Double.POSITIVE_INFINITY;
                continue;
            }
            if (Float.isInfinite(cpu[i]) || Float.isInfinite(gpu[i])) {
                if (cpu[i] != gpu[i]) return Double.POSITIVE_INFINITY;
                continue;
            }
            maxDiff = Math.max(maxDiff, Math.abs((double) gpu[i] - cpu[i]));
            maxRef = Math.max(maxRef, Math.abs(cpu[i]));
        }
        return maxRef == 0 ? (maxDiff == 0 ? 0 : 1) : maxDiff / maxRef;
    }

    static void assertClose(String what, float[] gpu, float[] cpu, double tol) {
        assertTrue(gpu.length == cpu.length, what + ": length " + gpu.length + " vs " + cpu.length);
        double err = relErr(gpu, cpu);
        assertTrue(err <= tol, String.format("%s: rel err %.3e > %.0e", what, err, tol));
    }

    static void assertClose(String what, float[] gpu, float[] cpu) {
        assertClose(what, gpu, cpu, TOL);
    }
}
