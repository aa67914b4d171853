package io.gan4j.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jcuda.JCudaVersion;
import jcuda.LibUtils;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgo;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaMemcpyKind;

/**
 * Says what this machine offers to the CUDA backend, one line per check:
 * {@code PASS|FAIL|SKIP <check>: <detail or reason>}: the JCuda driver library, the driver API and the device,
 * the runtime (malloc/copy round trip), cuBLAS (an SGEMM against a plain Java product) and cuDNN (a conv2d
 * forward against a plain Java convolution), with the versions and the paths the libraries were loaded from.
 *
 * <p>Without a GPU or driver it prints the single line {@code no CUDA: <reason>} and exits 0, so that it can
 * run in every build; with a GPU it exits 1 when any check fails, so that it works as a probe.
 */
public final class CudaInfo {

    /** cuBLAS/cuDNN in plain FP32 (no TF32) agree with a double-accumulated Java product to ~1e-6. */
    static final double TOLERANCE = 1e-4;
    static final int GEMM_SIZE = 512;

    public enum Status { PASS, FAIL, SKIP }

    public record Check(Status status, String name, String detail) {
        @Override
        public String toString() {
            return status + " " + name + ": " + detail;
        }
    }

    /** The checks that ran, or, where there is no CUDA at all, only the reason (and then no checks). */
    public record Report(List<Check> checks, String noCudaReason) {
        public boolean cudaPresent() {
            return noCudaReason == null;
        }

        public List<String> lines() {
            return cudaPresent() ? checks.stream().map(Check::toString).toList() : List.of("no CUDA: " + noCudaReason);
        }

        /** 0 when everything passed or there is no CUDA; 1 when a GPU is there and a check failed. */
        public int exitCode() {
            return cudaPresent() && checks.stream().anyMatch(c -> c.status() == Status.FAIL) ? 1 : 0;
        }
    }

    private CudaInfo() {
    }

    public static void main(String[] args) {
        Report report = run();
        report.lines().forEach(System.out::println);
        System.exit(report.exitCode());
    }

    /** Runs every check in this JVM. The JCuda classes load their native libraries once per JVM. */
    public static Report run() {
        List<Check> checks = new ArrayList<>();
        Check library = driverLibrary();
        Check driver = library.status() == Status.PASS ? driver() : skip("driver", "driver library did not load");
        checks.add(library);
        checks.add(driver);
        if (driver.status() != Status.PASS) {
            // Without a driver API nothing else can work. Whether that is "no CUDA here" or "a GPU we fail to
            // use" is decided by the kernel driver, which does not need JCuda to be seen.
            Check failed = library.status() == Status.FAIL ? library : driver;
            if (!nvidiaKernelDriverVisible()) {
                return new Report(List.of(), failed.detail());
            }
            for (String name : List.of("runtime", "cublas", "cudnn")) {
                checks.add(skip(name, "driver API unavailable"));
            }
            return new Report(checks, null);
        }
        checks.add(runtime());
        checks.add(cublas());
        checks.add(cudnn());
        return new Report(checks, null);
    }

    // ---- checks ------------------------------------------------------------------------------------------

    static Check driverLibrary() {
        String lib = jniLibrary("JCudaDriver");
        String failure = DriverLibrary.loadFailure();   // once per JVM, shared with CudaBackend
        return failure == null ? pass("driver-library", lib + " loaded; libcuda from " + loadedFrom("libcuda.so"))
                : fail("driver-library", failure);
    }

    static Check driver() {
        try {
            JCudaDriver.cuInit(0);
            int[] count = {0};
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return fail("driver", "cuInit succeeded but cuDeviceGetCount found 0 devices");
            }
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            int[] major = {0};
            int[] minor = {0};
            JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
            JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
            long[] bytes = {0};
            JCudaDriver.cuDeviceTotalMem(bytes, device);
            int[] version = {0};
            JCudaDriver.cuDriverGetVersion(version);
            return pass("driver", String.format("%d device(s); device 0: %s, compute capability %d.%d, %.1f GiB;"
                            + " cuDriverGetVersion %s", count[0], cString(name), major[0], minor[0],
                    bytes[0] / (double) (1L << 30), cudaVersion(version[0])));
        } catch (Throwable t) {
            return fail("driver", "driver API: " + reason(t));
        }
    }

    static Check runtime() {
        String lib = jniLibrary("JCudaRuntime");
        try {
            JCuda.setExceptionsEnabled(true);
            JCuda.cudaSetDevice(0);
            int[] runtimeVersion = {0};
            int[] driverVersion = {0};
            JCuda.cudaRuntimeGetVersion(runtimeVersion);
            JCuda.cudaDriverGetVersion(driverVersion);
            float[] host = randomFloats(1 << 20, 1);
            Pointer device = toDevice(host);
            float[] back;
            try {
                back = toHost(device, host.length);
            } finally {
                quietly(() -> JCuda.cudaFree(device));
            }
            int mismatches = 0;
            for (int i = 0; i < host.length; i++) {
                mismatches += Float.floatToRawIntBits(host[i]) == Float.floatToRawIntBits(back[i]) ? 0 : 1;
            }
            String detail = String.format("%s (cudart linked statically); cudaRuntimeGetVersion %s,"
                            + " cudaDriverGetVersion %s; cudaMalloc 4 MiB + host->device->host copy: %s", lib,
                    cudaVersion(runtimeVersion[0]), cudaVersion(driverVersion[0]),
                    mismatches == 0 ? "bit-exact" : mismatches + " of " + host.length + " floats differ");
            return mismatches == 0 ? pass("runtime", detail) : fail("runtime", detail);
        } catch (Throwable t) {
            return fail("runtime", "with " + lib + ": " + reason(t));
        }
    }

    static Check cublas() {
        String lib = jniLibrary("JCublas2");
        cublasHandle handle = new cublasHandle();
        boolean created = false;
        try {
            JCublas2.setExceptionsEnabled(true); // loads the JNI library, which needs libcublas.so.12
            JCuda.cudaSetDevice(0);
            JCublas2.cublasCreate(handle);
            created = true;
            int[] version = {0};
            JCublas2.cublasGetVersion(handle, version);
            int n = GEMM_SIZE;
            float[] a = randomFloats(n * n, 2);
            float[] b = randomFloats(n * n, 3);
            float[] gpu = sgemmRowMajor(handle, a, b, n, n, n);
            double error = relativeError(gpu, matmul(a, b, n, n, n));
            String detail = String.format("cublasGetVersion %d from %s; cublasSgemm %dx%dx%d vs Java: max rel err %.2e"
                    + " (tol %.0e)", version[0], loadedFrom("libcublas"), n, n, n, error, TOLERANCE);
            return error <= TOLERANCE ? pass("cublas", detail) : fail("cublas", detail);
        } catch (Throwable t) {
            return fail("cublas", (created ? "" : "cannot load or start " + lib + ": ") + reason(t));
        } finally {
            if (created) {
                quietly(() -> JCublas2.cublasDestroy(handle));
            }
        }
    }

    static Check cudnn() {
        String lib = jniLibrary("JCudnn");
        cudnnHandle handle = new cudnnHandle();
        boolean created = false;
        try {
            JCudnn.setExceptionsEnabled(true); // loads the JNI library, which needs libcudnn.so.9
            JCuda.cudaSetDevice(0);
            JCudnn.cudnnCreate(handle);
            created = true;
            long version = JCudnn.cudnnGetVersion();
            long builtFor = JCudnn.cudnnGetCudartVersion();
            ConvShape s = new ConvShape(2, 3, 16, 16, 4, 3, 3, 1);
            float[] x = randomFloats(s.n * s.c * s.h * s.w, 4);
            float[] w = randomFloats(s.k * s.c * s.r * s.s, 5);
            float[] gpu = cudnnConvForward(handle, s, x, w);
            double error = relativeError(gpu, conv2d(s, x, w));
            String detail = String.format("cudnnGetVersion %d (cudart %d) from %s; conv2d forward N%d C%d %dx%d K%d %dx%d"
                            + " pad %d, FMA math, implicit GEMM, vs Java: max rel err %.2e (tol %.0e)", version, builtFor,
                    loadedFrom("libcudnn"), s.n, s.c, s.h, s.w, s.k, s.r, s.s, s.pad, error, TOLERANCE);
            return error <= TOLERANCE ? pass("cudnn", detail) : fail("cudnn", detail);
        } catch (Throwable t) {
            return fail("cudnn", (created ? "" : "cannot load or start " + lib + ": ") + reason(t));
        } finally {
            if (created) {
                quietly(() -> JCudnn.cudnnDestroy(handle));
            }
        }
    }

    // ---- GPU work ----------------------------------------------------------------------------------------

    /**
     * The arguments of a column-major {@code cublasSgemm} that computes the row-major product C(MxN) = A(MxK)·B(KxN).
     * cuBLAS reads a row-major X as X^T, so we ask it for C^T = B^T·A^T: first operand B (ld N), second A (ld K),
     * m = N, n = M, and C^T in column-major is C in row-major (ld N).
     */
    record ColumnMajorGemm(int m, int n, int k, int ldFirst, int ldSecond, int ldC) {
        static ColumnMajorGemm forRowMajor(int rowsA, int inner, int colsB) {
            return new ColumnMajorGemm(colsB, rowsA, inner, colsB, inner, colsB);
        }
    }

    private static float[] sgemmRowMajor(cublasHandle handle, float[] a, float[] b, int rowsA, int inner, int colsB) {
        ColumnMajorGemm g = ColumnMajorGemm.forRowMajor(rowsA, inner, colsB);
        Pointer dA = toDevice(a);
        Pointer dB = toDevice(b);
        Pointer dC = toDevice(new float[rowsA * colsB]);
        try {
            JCublas2.cublasSgemm(handle, cublasOperation.CUBLAS_OP_N, cublasOperation.CUBLAS_OP_N, g.m(), g.n(), g.k(),
                    Pointer.to(new float[] {1f}), dB, g.ldFirst(), dA, g.ldSecond(),
                    Pointer.to(new float[] {0f}), dC, g.ldC());
            return toHost(dC, rowsA * colsB);
        } finally {
            free(dA, dB, dC);
        }
    }

    /** NCHW input, KCRS filter, stride 1, same padding on both sides, cross-correlation (as PyTorch). */
    record ConvShape(int n, int c, int h, int w, int k, int r, int s, int pad) {
        int outH() {
            return h + 2 * pad - r + 1;
        }

        int outW() {
            return w + 2 * pad - s + 1;
        }
    }

    private static float[] cudnnConvForward(cudnnHandle handle, ConvShape s, float[] x, float[] w) {
        cudnnTensorDescriptor xDesc = new cudnnTensorDescriptor();
        cudnnTensorDescriptor yDesc = new cudnnTensorDescriptor();
        cudnnFilterDescriptor wDesc = new cudnnFilterDescriptor();
        cudnnConvolutionDescriptor convDesc = new cudnnConvolutionDescriptor();
        JCudnn.cudnnCreateTensorDescriptor(xDesc);
        JCudnn.cudnnCreateTensorDescriptor(yDesc);
        JCudnn.cudnnCreateFilterDescriptor(wDesc);
        JCudnn.cudnnCreateConvolutionDescriptor(convDesc);
        Pointer dX = toDevice(x);
        Pointer dW = toDevice(w);
        Pointer dY = toDevice(new float[s.n * s.k * s.outH() * s.outW()]);
        Pointer workspace = new Pointer();
        try {
            int nchw = cudnnTensorFormat.CUDNN_TENSOR_NCHW;
            int f32 = cudnnDataType.CUDNN_DATA_FLOAT;
            JCudnn.cudnnSetTensor4dDescriptor(xDesc, nchw, f32, s.n, s.c, s.h, s.w);
            JCudnn.cudnnSetTensor4dDescriptor(yDesc, nchw, f32, s.n, s.k, s.outH(), s.outW());
            JCudnn.cudnnSetFilter4dDescriptor(wDesc, f32, nchw, s.k, s.c, s.r, s.s);
            JCudnn.cudnnSetConvolution2dDescriptor(convDesc, s.pad, s.pad, 1, 1, 1, 1,
                    cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, f32);
            // The default math type lets cuDNN use TF32 on Ampere and later; we check FP32 against FP32.
            JCudnn.cudnnSetConvolutionMathType(convDesc, cudnnMathType.CUDNN_FMA_MATH);
            int algo = cudnnConvolutionFwdAlgo.CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM; // supported everywhere
            long[] workspaceBytes = {0};
            JCudnn.cudnnGetConvolutionForwardWorkspaceSize(handle, xDesc, wDesc, convDesc, yDesc, algo, workspaceBytes);
            if (workspaceBytes[0] > 0) {
                JCuda.cudaMalloc(workspace, workspaceBytes[0]);
            }
            JCudnn.cudnnConvolutionForward(handle, Pointer.to(new float[] {1f}), xDesc, dX, wDesc, dW, convDesc, algo,
                    workspace, workspaceBytes[0], Pointer.to(new float[] {0f}), yDesc, dY);
            return toHost(dY, s.n * s.k * s.outH() * s.outW());
        } finally {
            free(dX, dW, dY, workspace);
            quietly(() -> JCudnn.cudnnDestroyTensorDescriptor(xDesc));
            quietly(() -> JCudnn.cudnnDestroyTensorDescriptor(yDesc));
            quietly(() -> JCudnn.cudnnDestroyFilterDescriptor(wDesc));
            quietly(() -> JCudnn.cudnnDestroyConvolutionDescriptor(convDesc));
        }
    }

    private static Pointer toDevice(float[] host) {
        Pointer device = new Pointer();
        JCuda.cudaMalloc(device, (long) host.length * Sizeof.FLOAT);
        JCuda.cudaMemcpy(device, Pointer.to(host), (long) host.length * Sizeof.FLOAT, cudaMemcpyKind.cudaMemcpyHostToDevice);
        return device;
    }

    private static void free(Pointer... devicePointers) {
        for (Pointer p : devicePointers) {
            quietly(() -> JCuda.cudaFree(p)); // cudaFree of a null pointer is a no-op
        }
    }

    /** For cleanup: an error there must not hide the error that got us there. */
    private static void quietly(Runnable cleanup) {
        try {
            cleanup.run();
        } catch (Throwable ignored) {
            // the first error is the one reported
        }
    }

    private static float[] toHost(Pointer device, int length) {
        float[] host = new float[length];
        JCuda.cudaMemcpy(Pointer.to(host), device, (long) length * Sizeof.FLOAT, cudaMemcpyKind.cudaMemcpyDeviceToHost);
        return host;
    }

    // ---- plain Java references ---------------------------------------------------------------------------

    /** Row-major C(MxN) = A(MxK)·B(KxN), accumulated in double. */
    static float[] matmul(float[] a, float[] b, int rowsA, int inner, int colsB) {
        float[] c = new float[rowsA * colsB];
        for (int i = 0; i < rowsA; i++) {
            for (int j = 0; j < colsB; j++) {
                double sum = 0;
                for (int p = 0; p < inner; p++) {
                    sum += (double) a[i * inner + p] * b[p * colsB + j];
                }
                c[i * colsB + j] = (float) sum;
            }
        }
        return c;
    }

    /** Direct convolution (cross-correlation) of {@link ConvShape}, accumulated in double. */
    static float[] conv2d(ConvShape s, float[] x, float[] w) {
        float[] y = new float[s.n * s.k * s.outH() * s.outW()];
        for (int n = 0; n < s.n; n++) {
            for (int k = 0; k < s.k; k++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    for (int ox = 0; ox < s.outW(); ox++) {
                        double sum = 0;
                        for (int c = 0; c < s.c; c++) {
                            for (int r = 0; r < s.r; r++) {
                                for (int q = 0; q < s.s; q++) {
                                    int iy = oy + r - s.pad;
                                    int ix = ox + q - s.pad;
                                    if (iy >= 0 && iy < s.h && ix >= 0 && ix < s.w) {
                                        sum += (double) x[((n * s.c + c) * s.h + iy) * s.w + ix]
                                                * w[((k * s.c + c) * s.r + r) * s.s + q];
                                    }
                                }
                            }
                        }
                        y[((n * s.k + k) * s.outH() + oy) * s.outW() + ox] = (float) sum;
                    }
                }
            }
        }
        return y;
    }

    /** max |actual - expected| / max |expected|: a relative error that near-zero entries cannot blow up. */
    static double relativeError(float[] actual, float[] expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs((double) expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    static float[] randomFloats(int length, long seed) {
        Random random = new Random(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        return values;
    }

    // ---- reporting helpers -------------------------------------------------------------------------------

    private static Check pass(String name, String detail) {
        return new Check(Status.PASS, name, detail);
    }

    private static Check fail(String name, String detail) {
        return new Check(Status.FAIL, name, detail);
    }

    private static Check skip(String name, String detail) {
        return new Check(Status.SKIP, name, detail);
    }

    /** The file JCuda looks for, e.g. libJCublas2-12.6.0-linux-x86_64.so. */
    static String jniLibrary(String baseName) {
        return LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName(baseName + "-" + JCudaVersion.get()));
    }

    /** The NVIDIA kernel driver shows itself without any CUDA library (Linux); elsewhere we cannot tell. */
    static boolean nvidiaKernelDriverVisible() {
        return Files.exists(Path.of("/proc/driver/nvidia/version")) || Files.exists(Path.of("/dev/nvidiactl"));
    }

    /** What the dynamic linker or JCuda's resource lookup says; JCuda's "as a file" attempt always misses. */
    private static final Pattern LOAD_ERROR = Pattern.compile(
            "cannot open shared object file|undefined symbol|version `|wrong ELF class|No resource found");
    /** The exception class and the temporary copy JCuda extracts its JNI library to ("/tmp/libJCublas2-...so: "). */
    private static final Pattern NOISE = Pattern.compile(
            "^(java\\.lang\\.UnsatisfiedLinkError: |java\\.io\\.IOException: )?(\\S*/lib(JCuda|JCublas|JCudnn|JNv)[^:]*\\.so: )?");

    /**
     * One line for a failure. JCuda wraps a failed library load in a long message (both attempts, stack traces,
     * OS and architecture); the line that matters is the dynamic linker's, e.g.
     * "libcublas.so.12: cannot open shared object file: No such file or directory".
     */
    static String reason(Throwable t) {
        String first = null;
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            for (String line : message.split("\\R")) {
                if (LOAD_ERROR.matcher(line).find()) {
                    return NOISE.matcher(line.trim()).replaceFirst("");
                }
            }
            if (first == null) {
                first = cause.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("").trim();
            }
        }
        return first != null ? first : t.getClass().getName();
    }

    /**
     * Where the libraries whose file name starts with {@code prefix} were mapped from (Linux /proc/self/maps),
     * grouped by folder: "/x/nvidia/cublas/lib/[libcublas.so.12, libcublasLt.so.12]".
     */
    static String loadedFrom(String prefix) {
        Map<String, TreeSet<String>> byFolder = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path file = Path.of(line.substring(slash).trim());
                if (file.getFileName() != null && file.getFileName().toString().startsWith(prefix)) {
                    byFolder.computeIfAbsent(String.valueOf(file.getParent()), f -> new TreeSet<>())
                            .add(file.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return "? (" + e.getClass().getSimpleName() + " reading /proc/self/maps)";
        }
        if (byFolder.isEmpty()) {
            return "? (no " + prefix + "* mapped)";
        }
        List<String> parts = new ArrayList<>();
        byFolder.forEach((folder, names) -> parts.add(folder + "/" + (names.size() == 1 ? names.first() : names)));
        return String.join(", ", parts);
    }

    /** 12060 -> "12.6 (12060)", CUDA's encoding of major * 1000 + minor * 10. */
    static String cudaVersion(int encoded) {
        return encoded / 1000 + "." + (encoded % 1000) / 10 + " (" + encoded + ")";
    }

    static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
