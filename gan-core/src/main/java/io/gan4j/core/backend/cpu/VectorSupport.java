package io.gan4j.core.backend.cpu;

import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

/**
 * Chooses, once per JVM, between the Vector API kernels and the plain-Java ones (the approach of Apache
 * Lucene's VectorizationProvider). The vector kernel class is loaded reflectively and only after
 * jdk.incubator.vector was found in the boot layer, so no loaded class refers to a module that is absent.
 * Set {@code -Dgan4j.vector=false} to force plain Java. The vector kernels use 512-bit vectors where the JVM
 * prefers that width (AVX-512), else 256-bit ones ({@link VectorWidth}); {@code -Dgan4j.vectorBits=256} or
 * {@code 512} sets the width (512 where the JVM does not compile such vectors is correct but slow). Every width
 * computes the same bits.
 */
final class VectorSupport {
    static final String PROPERTY = "gan4j.vector";
    static final String BITS_PROPERTY = "gan4j.vectorBits";
    private static final String MODULE = "jdk.incubator.vector";
    private static final String VECTOR_GEMM = "io.gan4j.core.backend.cpu.VectorGemmKernel";
    private static final String VECTOR_WINOGRAD = "io.gan4j.core.backend.cpu.VectorWinogradTransforms";
    private static final String VECTOR_ELEMENTWISE = "io.gan4j.core.backend.cpu.VectorElementwiseKernels";
    private static final Logger LOG = Logger.getLogger(VectorSupport.class.getName());

    private VectorSupport() {
    }

    /** The GEMM kernel chosen at start-up (first use). */
    static GemmKernel gemmKernel() {
        return Chosen.GEMM;
    }

    /** The plain-Java GEMM kernel, always available (tests compare it with the vector one). */
    static GemmKernel scalarGemmKernel() {
        return new ScalarGemmKernel();
    }

    /** The transforms of Winograd's convolution (tiles and kernels), vector or plain as {@link #gemmKernel} is. */
    static WinogradTransforms winogradTransforms() {
        return Chosen.WINOGRAD;
    }

    /** The elementwise loops (activations, arithmetic, Adam), vector or plain as {@link #gemmKernel} is. */
    static ElementwiseKernels elementwiseKernels() {
        return Chosen.ELEMENTWISE;
    }

    /** Holder idiom: the choice (and its log line) happens on first use, once. */
    private static final class Chosen {
        static final GemmKernel GEMM = choose();
        static final WinogradTransforms WINOGRAD = GEMM instanceof ScalarGemmKernel
                ? new ScalarWinogradTransforms() : vector(VECTOR_WINOGRAD, ScalarWinogradTransforms::new);
        static final ElementwiseKernels ELEMENTWISE = GEMM instanceof ScalarGemmKernel
                ? new ScalarElementwiseKernels() : vector(VECTOR_ELEMENTWISE, ScalarElementwiseKernels::new);
    }

    /** The vector class {@code name}, or the plain one if it fails to load. */
    private static <T> T vector(String name, java.util.function.Supplier<T> plain) {
        try {
            @SuppressWarnings("unchecked")
            T chosen = (T) Class.forName(name).getDeclaredConstructor().newInstance();
            return chosen;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            T fallback = plain.get();
            LOG.info(() -> "gan4j cpu: plain Java " + fallback.getClass().getSimpleName() + " (" + e + ")");
            return fallback;
        }
    }

    private static GemmKernel choose() {
        bitsSetting();   // a mistyped width fails here, loudly, rather than quietly running another kernel
        String reason = whyNotVector();
        if (reason == null) {
            try {
                GemmKernel k = (GemmKernel) Class.forName(VECTOR_GEMM).getDeclaredConstructor().newInstance();
                LOG.info(() -> "gan4j cpu: using Vector API kernels (" + k.name() + ")");
                return k;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                reason = "vector kernels failed to load: " + cause;
            }
        }
        String why = reason;
        LOG.info(() -> "gan4j cpu: using plain Java kernels (" + why + ")");
        return scalarGemmKernel();
    }

    /** {@link #BITS_PROPERTY}: "256", "512", or "" when unset. */
    static String bitsSetting() {
        return checkBits(System.getProperty(BITS_PROPERTY, ""));
    }

    static String checkBits(String value) {
        String bits = value.trim();
        if (!bits.isEmpty() && !bits.equals("256") && !bits.equals("512")) {
            throw new IllegalArgumentException("-D" + BITS_PROPERTY + "=" + value + ": expected 256 or 512 (bits per "
                    + "vector), or no setting for the JVM's preferred width");
        }
        return bits;
    }

    /** Null when the vector kernels should be used, else a one-line reason. */
    static String whyNotVector() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return "-D" + PROPERTY + "=false";
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "module " + MODULE + " absent; add --add-modules=" + MODULE + " to the java command line";
        }
        // Without C2 the Vector API is interpreted object by object: far slower than plain loops.
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.equals("-Xint") || arg.matches("-XX:TieredStopAtLevel=[0-3]")) {
                return "C2 compiler disabled by " + arg;
            }
        }
        return null;
    }
}
