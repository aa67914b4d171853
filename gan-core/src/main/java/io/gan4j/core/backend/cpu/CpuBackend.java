package io.gan4j.core.backend.cpu;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference backend: pure Java, multithreaded, deterministic. Thread count: the constructor argument,
 * else the system property {@code gan4j.threads}, else all available processors. Stride-1 5x5 convolutions
 * use Winograd's algorithm ({@link WinogradConvolution}) unless the constructor or the system property
 * {@code gan4j.winograd=false} turns it off (then every convolution is im2col + GEMM, with a smaller rounding
 * error).
 */
public final class CpuBackend implements Backend {
    /** Largest buffer: Java arrays are indexed by int. */
    private static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    private final Parallel parallel;
    private final CpuElementwise elementwise;
    private final CpuGemm gemm;
    private final CpuConvolution convolution;
    private final CpuBatchNorm batchNorm;
    private final CpuResampling resampling;
    private final CpuRandom random;
    private final CpuAdam adam;
    private final ElementwiseKernels kernels;
    private final AtomicLong bytesInUse = new AtomicLong();
    private final ArrayPool pool = new ArrayPool();

    public CpuBackend() {
        this(defaultThreads());
    }

    public CpuBackend(int threads) {
        this(threads, defaultWinograd());
    }

    /** With {@code winograd} false, every convolution is im2col + GEMM. */
    public CpuBackend(int threads, boolean winograd) {
        this.parallel = new Parallel(threads);
        this.kernels = VectorSupport.elementwiseKernels();
        this.elementwise = new CpuElementwise(parallel, kernels);
        this.gemm = new CpuGemm(parallel);
        this.convolution = new CpuConvolution(parallel, gemm, winograd);
        this.batchNorm = new CpuBatchNorm(parallel);
        this.resampling = new CpuResampling(parallel);
        this.random = new CpuRandom(parallel);
        this.adam = new CpuAdam(parallel, kernels);
    }

    /** {@code gan4j.threads} if set, else the number of available processors. */
    public static int defaultThreads() {
        String prop = System.getProperty("gan4j.threads");
        if (prop != null && !prop.isBlank()) {
            try {
                int t = Integer.parseInt(prop.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("system property gan4j.threads: expected a positive integer, got '"
                    + prop + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** {@code gan4j.winograd} if set ({@code true} or {@code false}), else true. */
    public static boolean defaultWinograd() {
        String prop = System.getProperty("gan4j.winograd");
        if (prop == null || prop.isBlank()) {
            return true;
        }
        return switch (prop.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("system property gan4j.winograd: expected true or false, got '"
                    + prop + "'");
        };
    }

    public int threads() {
        return parallel.threads();
    }

    @Override
    public String name() {
        return "cpu";
    }

    private static CpuBuffer cpu(Buffer b) {
        if (b instanceof CpuBuffer) {
            return (CpuBuffer) b;
        }
        throw new IllegalArgumentException("cpu backend: buffer belongs to backend '"
                + (b == null ? "null" : b.backend().name()) + "'; move the tensor to the cpu first");
    }

    // ---------------------------------------------------------------- memory

    @Override
    public Buffer allocate(long length) {
        float[] data = take(length);
        if (data == null) {
            return new CpuBuffer(this, new float[(int) length]);   // the JVM zeroes new arrays
        }
        CpuBuffer b = new CpuBuffer(this, data);
        fill(b, 0f);
        return b;
    }

    @Override
    public Buffer allocateUninitialized(long length) {
        float[] data = take(length);
        return new CpuBuffer(this, data != null ? data : new float[(int) length]);
    }

    /** Counts the allocation; a kept array of that length (old contents), or null. */
    private float[] take(long length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("cpu backend: cannot allocate " + length + " floats (at most "
                    + MAX_LENGTH + " per tensor)");
        }
        bytesInUse.addAndGet(length * Float.BYTES);
        return pool.take((int) length);
    }

    /** Called once per allocated buffer, when it is closed: its array may serve a later allocation. */
    void released(float[] data) {
        bytesInUse.addAndGet(-(long) data.length * Float.BYTES);
        pool.give(data);
    }

    @Override
    public long bytesInUse() {
        return bytesInUse.get();
    }

    @Override
    public Buffer upload(float[] data, int offset, int length) {
        Buffer b = allocateUninitialized(length);
        System.arraycopy(data, offset, cpu(b).array(), 0, length);
        return b;
    }

    @Override
    public void download(Buffer src, float[] dst, int dstOffset) {
        CpuBuffer s = cpu(src);
        System.arraycopy(s.array(), s.offset(), dst, dstOffset, s.size());
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length) {
        CpuBuffer s = cpu(src);
        CpuBuffer d = cpu(dst);
        System.arraycopy(s.array(), s.offset() + (int) srcOffset, d.array(), d.offset() + (int) dstOffset, (int) length);
    }

    @Override
    public void fill(Buffer dst, float value) {
        CpuBuffer d = cpu(dst);
        float[] a = d.array();
        int o = d.offset();
        parallel.forRange(d.size(), 1 << 15, (from, to) -> java.util.Arrays.fill(a, o + from, o + to, value));
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void unary(UnaryOp op, float alpha, Buffer x, Buffer y) {
        elementwise.unary(op, alpha, cpu(x), cpu(y));
    }

    @Override
    public void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] outShape) {
        elementwise.binary(op, cpu(a), aStrides, cpu(b), bStrides, cpu(out), outShape);
    }

    @Override
    public void permute(Buffer x, int[] shape, int[] perm, Buffer y) {
        elementwise.permute(cpu(x), shape, perm, cpu(y));
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int outer, int length, int inner, Buffer y) {
        elementwise.reduce(op, cpu(x), outer, length, inner, cpu(y));
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Buffer a, int lda, long strideA, Buffer b, int ldb, long strideB,
                     float beta, Buffer c, int ldc, long strideC, int batch) {
        CpuBuffer ca = cpu(a);
        CpuBuffer cb = cpu(b);
        CpuBuffer cc = cpu(c);
        for (int i = 0; i < batch; i++) {
            gemm.gemm(transA, transB, m, n, k, alpha,
                    ca.array(), ca.offset() + (int) (i * strideA), lda,
                    cb.array(), cb.offset() + (int) (i * strideB), ldb,
                    beta, cc.array(), cc.offset() + (int) (i * strideC), ldc);
        }
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        convolution.forward(g, cpu(x), cpu(w), cpu(y));
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx) {
        convolution.backwardData(g, cpu(dy), cpu(w), cpu(dx));
    }

    @Override
    public void conv2dBackwardFilter(ConvGeometry g, Buffer x, Buffer dy, Buffer dw) {
        convolution.backwardFilter(g, cpu(x), cpu(dy), cpu(dw));
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void batchNormForwardTraining(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                         Buffer runningMean, Buffer runningVar, float momentum, float eps,
                                         Buffer y, Buffer saveMean, Buffer saveInvStd) {
        batchNorm.forwardTraining(n, c, spatial, cpu(x), cpu(gamma), cpu(beta),
                runningMean == null ? null : cpu(runningMean), runningVar == null ? null : cpu(runningVar),
                momentum, eps, cpu(y), cpu(saveMean), cpu(saveInvStd));
    }

    @Override
    public void batchNormForwardInference(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                          Buffer runningMean, Buffer runningVar, float eps, Buffer y) {
        batchNorm.forwardInference(n, c, spatial, cpu(x), cpu(gamma), cpu(beta), cpu(runningMean), cpu(runningVar),
                eps, cpu(y));
    }

    @Override
    public void batchNormBackward(int n, int c, int spatial, Buffer x, Buffer dy, Buffer gamma,
                                  Buffer saveMean, Buffer saveInvStd, Buffer dx, Buffer dGamma, Buffer dBeta) {
        batchNorm.backward(n, c, spatial, cpu(x), cpu(dy), cpu(gamma), cpu(saveMean), cpu(saveInvStd),
                cpu(dx), cpu(dGamma), cpu(dBeta));
    }

    // ---------------------------------------------------------------- resampling

    @Override
    public void upsampleNearest(int planes, int h, int w, int fh, int fw, Buffer x, Buffer y) {
        resampling.upsampleNearest(planes, h, w, fh, fw, cpu(x), cpu(y));
    }

    @Override
    public void upsampleNearestBackward(int planes, int h, int w, int fh, int fw, Buffer dy, Buffer dx) {
        resampling.upsampleNearestBackward(planes, h, w, fh, fw, cpu(dy), cpu(dx));
    }

    @Override
    public void pixelShuffle(int n, int c, int h, int w, int r, boolean inverse, Buffer x, Buffer y) {
        resampling.pixelShuffle(n, c, h, w, r, inverse, cpu(x), cpu(y));
    }

    // ---------------------------------------------------------------- random numbers

    @Override
    public void randomNormal(Buffer y, float mean, float std, long seed, long offset) {
        random.normal(cpu(y), mean, std, seed, offset);
    }

    @Override
    public void randomUniform(Buffer y, float low, float high, long seed, long offset) {
        random.uniform(cpu(y), low, high, seed, offset);
    }

    @Override
    public void randomBernoulli(Buffer y, float p, long seed, long offset) {
        random.bernoulli(cpu(y), p, seed, offset);
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public void axpby(float a, Buffer x, float b, Buffer y) {
        CpuBuffer cx = cpu(x);
        CpuBuffer cy = cpu(y);
        if (cx.length() != cy.length()) {
            throw new IllegalArgumentException("axpby: x has " + cx.length() + " elements, y " + cy.length());
        }
        float[] xs = cx.array();
        float[] ys = cy.array();
        int xo = cx.offset();
        int yo = cy.offset();
        // one pass instead of three; no fma, so the rounding is the default's
        parallel.forRange((int) cy.length(), 1 << 14, (from, to) ->
                kernels.axpby(a, xs, xo + from, b, ys, yo + from, to - from));
    }

    @Override
    public void adamStep(Buffer param, Buffer grad, Buffer m, Buffer v, float lr, float beta1, float beta2,
                         float eps, float weightDecay, boolean decoupled, long step) {
        adam.step(cpu(param), cpu(grad), cpu(m), cpu(v), lr, beta1, beta2, eps, weightDecay, decoupled, step);
    }

    @Override
    public void close() {
        pool.clear();
        parallel.shutdown();
    }

    @Override
    public String toString() {
        return "cpu(" + parallel.threads() + " threads)";
    }
}
