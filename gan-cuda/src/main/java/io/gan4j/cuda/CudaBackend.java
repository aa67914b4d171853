package io.gan4j.cuda;

import static io.gan4j.cuda.CudaKernels.f;
import static io.gan4j.cuda.CudaKernels.i;
import static io.gan4j.cuda.CudaKernels.l;
import static io.gan4j.cuda.CudaKernels.p;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.BackendUnavailableException;
import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.backend.ReduceOp;
import io.gan4j.core.backend.UnaryOp;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend: device memory from a {@link CudaAllocator caching allocator} on device 0's primary context,
 * one stream for everything (so that reusing a freed block needs no events), matrix products through cuBLAS,
 * convolutions through cuDNN, and our own PTX kernels for the rest ({@link CudaKernels}). Where cuBLAS or cuDNN
 * does not load, our tiled GEMM kernel and im2col + GEMM take over; the choice is logged and in
 * {@link #toString()}.
 *
 * <p>Memory: buffers are freed explicitly (gan-core's {@code MemoryScope} closes temporaries); no finalizer,
 * no cleaner: the garbage collector never frees device memory. {@link #bytesInUse()} counts blocks handed out.
 *
 * <p>Calls are serialised on this object (one stream; cuBLAS/cuDNN handles are not thread-safe).
 */
public final class CudaBackend implements Backend {
    private static final Logger LOG = Logger.getLogger(CudaBackend.class.getName());

    /**
     * How the backend is built. {@code cublas}/{@code cudnn}: try those libraries (false forces our kernels, as
     * tests do to cover every path); {@code tf32}: allow TF32 tensor ops (tolerance 1e-3 instead of 1e-5);
     * {@code workspaceLimit}: the largest cuDNN workspace in bytes.
     */
    public record Options(boolean cublas, boolean cudnn, boolean tf32, long workspaceLimit) {
        /** From system properties {@code gan4j.cuda.cublas}, {@code gan4j.cuda.cudnn} (default true), {@code gan4j.cuda.tf32} (false). */
        public static Options defaults() {
            return new Options(!"false".equals(System.getProperty("gan4j.cuda.cublas")),
                    !"false".equals(System.getProperty("gan4j.cuda.cudnn")),
                    Boolean.getBoolean("gan4j.cuda.tf32"), 256L << 20);
        }

        public Options withLibraries(boolean useCublas, boolean useCudnn) {
            return new Options(useCublas, useCudnn, tf32, workspaceLimit);
        }
    }

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String deviceName;
    private final CudaKernels kernels;
    private final CudaAllocator<CUdeviceptr> allocator;
    private final CudaGemm gemm;
    private final CudaConvolution convolution;
    private final List<String> notes = new ArrayList<>();
    private boolean closed;

    private CudaBackend(Options options) {
        JCudaDriver.cuDeviceGet(device, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamCreate(stream, 0);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        this.deviceName = CudaInfo.cString(name);
        this.kernels = new CudaKernels(stream);
        this.allocator = new CudaAllocator<>(new CudaAllocator.Raw<>() {
            @Override
            public CUdeviceptr malloc(long bytes) {
                CUdeviceptr ptr = new CUdeviceptr();
                JCudaDriver.cuMemAlloc(ptr, bytes);
                return ptr;
            }

            @Override
            public void free(CUdeviceptr block) {
                JCudaDriver.cuMemFree(block);
            }
        });
        this.gemm = chooseGemm(options);
        this.convolution = chooseConvolution(options);
        LOG.info(() -> "cuda backend on " + deviceName + ": GEMM " + gemm.describe() + "; convolution "
                + convolution.describe() + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
    }

    private CudaGemm chooseGemm(Options options) {
        if (options.cublas()) {
            try {
                return new CudaGemm.Cublas(stream, options.tf32());
            } catch (Throwable t) {   // UnsatisfiedLinkError (no libcublas.so.12), CudaException
                notes.add("cuBLAS unavailable (" + CudaInfo.reason(t) + "), using our GEMM kernel");
                LOG.warning("cuBLAS unavailable: " + CudaInfo.reason(t) + "; falling back to the gan4j tiled SGEMM kernel");
            }
        } else {
            notes.add("cuBLAS disabled by options");
        }
        return new CudaGemm.Kernel(kernels);
    }

    private CudaConvolution chooseConvolution(Options options) {
        CudaConvolution im2col = new CudaConvolution.Im2col(kernels, gemm, this::workspace);
        if (options.cudnn()) {
            try {
                return new CudaConvolution.Cudnn(stream, options.tf32(), options.workspaceLimit(), this::workspace, im2col);
            } catch (Throwable t) {   // UnsatisfiedLinkError (no libcudnn.so.9), CudaException
                notes.add("cuDNN unavailable (" + CudaInfo.reason(t) + "), using im2col + GEMM");
                LOG.warning("cuDNN unavailable: " + CudaInfo.reason(t) + "; falling back to im2col + GEMM kernels");
            }
        } else {
            notes.add("cuDNN disabled by options");
        }
        return im2col;
    }

    /**
     * A backend on device 0, or the one-line reason why there is none: the JCuda driver library does not load
     * (no libcuda.so.1), {@code cuInit} fails, no device, or the PTX does not load.
     */
    public static CudaBackend create(Options options) throws BackendUnavailableException {
        String libraryFailure = DriverLibrary.loadFailure();
        if (libraryFailure != null) {
            throw new BackendUnavailableException(libraryFailure);
        }
        try {
            JCudaDriver.cuInit(0);
            int[] count = {0};
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                throw new BackendUnavailableException("cuInit succeeded but no CUDA device was found");
            }
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (Throwable t) {
            throw new BackendUnavailableException("driver API: " + CudaInfo.reason(t), t);
        }
        try {
            return new CudaBackend(options);
        } catch (Throwable t) {
            throw new BackendUnavailableException("cuda backend failed to start: " + CudaInfo.reason(t), t);
        }
    }

    // ---------------------------------------------------------------- plumbing

    @Override
    public String name() {
        return "cuda";
    }

    /** Which GEMM and convolution paths are in use, e.g. for logs and benchmark reports. */
    public String paths() {
        return "GEMM " + gemm.describe() + "; convolution " + convolution.describe();
    }

    public boolean usesCublas() {
        return gemm instanceof CudaGemm.Cublas;
    }

    public boolean usesCudnn() {
        return convolution instanceof CudaConvolution.Cudnn;
    }

    @Override
    public String toString() {
        return "cuda(" + deviceName + "; " + paths() + ")";
    }

    /** Makes the context current on the calling thread (JCuda calls may come from any thread). */
    private void enter() {
        if (closed) {
            throw new IllegalStateException("cuda backend closed");
        }
        JCudaDriver.cuCtxSetCurrent(context);
    }

    private static CudaBuffer cuda(Buffer b) {
        if (b instanceof CudaBuffer) {
            return (CudaBuffer) b;
        }
        throw new IllegalArgumentException("cuda backend: buffer belongs to backend '"
                + (b == null ? "null" : b.backend().name()) + "'; move the tensor to the cuda device first");
    }

    private static CUdeviceptr ptr(Buffer b) {
        return cuda(b).pointer();
    }

    void release(CudaAllocator.Block<CUdeviceptr> block) {
        allocator.release(block);
    }

    private CudaConvolution.Workspace workspace(long floats) {
        CudaAllocator.Block<CUdeviceptr> block = allocator.allocate(Math.max(1, floats) * Float.BYTES);
        return new CudaConvolution.Workspace() {
            @Override
            public CUdeviceptr pointer() {
                return block.raw();
            }

            @Override
            public void close() {
                allocator.release(block);
            }
        };
    }

    /** Waits for the stream (tests and timings). */
    public synchronized void synchronize() {
        enter();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    /** Bytes kept by the caching allocator for reuse (not in use). */
    public long bytesCached() {
        return allocator.bytesCached();
    }

    /** Calls to cuMemAlloc so far: flat once a training loop is warm. */
    public long deviceMallocs() {
        return allocator.mallocs();
    }

    /** Returns the allocator's cached blocks to the device. */
    public synchronized void emptyCache() {
        enter();
        JCudaDriver.cuStreamSynchronize(stream);
        allocator.emptyCache();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public synchronized Buffer allocate(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("cuda backend: cannot allocate " + length + " floats");
        }
        enter();
        CudaBuffer b = new CudaBuffer(this, allocator.allocate(length * Float.BYTES), length);
        if (length > 0) {
            JCudaDriver.cuMemsetD32Async(b.pointer(), 0, length, stream);
        }
        return b;
    }

    @Override
    public long bytesInUse() {
        return allocator.bytesInUse();
    }

    @Override
    public synchronized Buffer upload(float[] data, int offset, int length) {
        enter();
        CudaBuffer b = new CudaBuffer(this, allocator.allocate((long) length * Float.BYTES), length);
        if (length > 0) {
            JCudaDriver.cuStreamSynchronize(stream);   // a reused block may still be read by queued kernels
            JCudaDriver.cuMemcpyHtoD(b.pointer(), Pointer.to(data).withByteOffset((long) offset * Float.BYTES),
                    (long) length * Float.BYTES);
        }
        return b;
    }

    @Override
    public synchronized void download(Buffer src, float[] dst, int dstOffset) {
        enter();
        CudaBuffer s = cuda(src);
        JCudaDriver.cuStreamSynchronize(stream);
        if (s.length() > 0) {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) dstOffset * Float.BYTES), s.pointer(),
                    s.length() * Float.BYTES);
        }
    }

    @Override
    public synchronized void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length) {
        enter();
        if (length > 0) {
            JCudaDriver.cuMemcpyDtoDAsync(cuda(dst).pointer(dstOffset), cuda(src).pointer(srcOffset),
                    length * Float.BYTES, stream);
        }
    }

    @Override
    public synchronized void fill(Buffer dst, float value) {
        enter();
        if (dst.length() > 0) {
            JCudaDriver.cuMemsetD32Async(ptr(dst), Float.floatToRawIntBits(value), dst.length(), stream);
        }
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public synchronized void unary(UnaryOp op, float alpha, Buffer x, Buffer y) {
        enter();
        long n = x.length();
        if (n > 0) {
            kernels.launch("gan4j_unary", n, i(op.ordinal()), f(alpha), p(ptr(x)), p(ptr(y)), l(n));
        }
    }

    @Override
    public synchronized void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out,
                                    int[] outShape) {
        enter();
        long n = 1;
        for (int d : outShape) n *= d;
        if (n == 0) {
            return;
        }
        long[] plan = StridePlan.of(outShape, aStrides, bStrides);
        kernels.launch("gan4j_binary", n, i(op.ordinal()), p(ptr(a)), p(ptr(b)), p(ptr(out)), l(n), Pointer.to(plan));
    }

    @Override
    public synchronized void permute(Buffer x, int[] shape, int[] perm, Buffer y) {
        enter();
        int rank = shape.length;
        long[] inStrides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = s;
            s *= shape[d];
        }
        if (s == 0) {
            return;
        }
        int[] outShape = new int[rank];
        long[] strides = new long[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        long[] plan = StridePlan.of(outShape, strides, null);
        kernels.launch("gan4j_strided_copy", s, p(ptr(x)), p(ptr(y)), l(s), Pointer.to(plan));
    }

    @Override
    public synchronized void reduce(ReduceOp op, Buffer x, int outer, int length, int inner, Buffer y) {
        enter();
        int code = op == ReduceOp.MAX ? 1 : 0;
        if ((long) outer * inner == 0) {
            return;
        }
        if (inner == 1) {
            kernels.launch("gan4j_reduce_rows", Math.min(outer, 65535), 1, 1, CudaKernels.BLOCK,
                    i(code), p(ptr(x)), p(ptr(y)), i(outer), i(length));
        } else {
            kernels.launch("gan4j_reduce_middle", (long) outer * inner, i(code), p(ptr(x)), p(ptr(y)), i(outer),
                    i(length), i(inner));
        }
    }

    // ---------------------------------------------------------------- matrix products

    @Override
    public synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  Buffer a, int lda, long strideA, Buffer b, int ldb, long strideB,
                                  float beta, Buffer c, int ldc, long strideC, int batch) {
        enter();
        gemm.gemm(transA, transB, m, n, k, alpha, ptr(a), lda, strideA, ptr(b), ldb, strideB, beta, ptr(c), ldc,
                strideC, batch);
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public synchronized void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer y) {
        enter();
        convolution.forward(g, ptr(x), ptr(w), ptr(y));
    }

    @Override
    public synchronized void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx) {
        enter();
        convolution.backwardData(g, ptr(dy), ptr(w), ptr(dx));
    }

    @Override
    public synchronized void conv2dBackwardFilter(ConvGeometry g, Buffer x, Buffer dy, Buffer dw) {
        enter();
        convolution.backwardFilter(g, ptr(x), ptr(dy), ptr(dw));
    }

    // ---------------------------------------------------------------- normalisation (our kernels)

    private static int channelBlocks(int c) {
        return Math.max(1, Math.min(c, 65535));
    }

    @Override
    public synchronized void batchNormForwardTraining(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                                      Buffer runningMean, Buffer runningVar, float momentum, float eps,
                                                      Buffer y, Buffer saveMean, Buffer saveInvStd) {
        enter();
        boolean running = runningMean != null && runningVar != null;
        CUdeviceptr rm = running ? ptr(runningMean) : ptr(saveMean);
        CUdeviceptr rv = running ? ptr(runningVar) : ptr(saveInvStd);
        kernels.launch("gan4j_bn_fwd_train", channelBlocks(c), 1, 1, CudaKernels.BLOCK, p(ptr(x)), p(ptr(gamma)),
                p(ptr(beta)), p(rm), p(rv), i(running ? 1 : 0), f(momentum), f(eps), p(ptr(y)), p(ptr(saveMean)),
                p(ptr(saveInvStd)), i(n), i(c), l(spatial));
    }

    @Override
    public synchronized void batchNormForwardInference(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                                       Buffer runningMean, Buffer runningVar, float eps, Buffer y) {
        enter();
        long total = (long) n * c * spatial;
        kernels.launch("gan4j_bn_fwd_infer", total, p(ptr(x)), p(ptr(gamma)), p(ptr(beta)), p(ptr(runningMean)),
                p(ptr(runningVar)), f(eps), p(ptr(y)), i(c), l(spatial), l(total));
    }

    @Override
    public synchronized void batchNormBackward(int n, int c, int spatial, Buffer x, Buffer dy, Buffer gamma,
                                               Buffer saveMean, Buffer saveInvStd, Buffer dx, Buffer dGamma,
                                               Buffer dBeta) {
        enter();
        kernels.launch("gan4j_bn_bwd", channelBlocks(c), 1, 1, CudaKernels.BLOCK, p(ptr(x)), p(ptr(dy)),
                p(ptr(gamma)), p(ptr(saveMean)), p(ptr(saveInvStd)), p(ptr(dx)), p(ptr(dGamma)), p(ptr(dBeta)),
                i(n), i(c), l(spatial));
    }

    // ---------------------------------------------------------------- resampling

    @Override
    public synchronized void upsampleNearest(int planes, int h, int w, int fh, int fw, Buffer x, Buffer y) {
        enter();
        kernels.launch("gan4j_upsample_nearest", (long) planes * h * fh * w * fw, p(ptr(x)), p(ptr(y)), i(planes),
                i(h), i(w), i(fh), i(fw));
    }

    @Override
    public synchronized void upsampleNearestBackward(int planes, int h, int w, int fh, int fw, Buffer dy, Buffer dx) {
        enter();
        kernels.launch("gan4j_upsample_nearest_bwd", (long) planes * h * w, p(ptr(dy)), p(ptr(dx)), i(planes), i(h),
                i(w), i(fh), i(fw));
    }

    @Override
    public synchronized void pixelShuffle(int n, int c, int h, int w, int r, boolean inverse, Buffer x, Buffer y) {
        enter();
        kernels.launch("gan4j_pixel_shuffle", (long) n * c * h * r * w * r, p(ptr(x)), p(ptr(y)), i(n), i(c), i(h),
                i(w), i(r), i(inverse ? 1 : 0));
    }

    // ---------------------------------------------------------------- random numbers (Philox, as the CPU backend)

    @Override
    public synchronized void randomNormal(Buffer y, float mean, float std, long seed, long offset) {
        enter();
        long n = y.length();
        if (n > 0) {
            kernels.launch("gan4j_random_normal", n, p(ptr(y)), l(n), f(mean), f(std), l(seed), l(offset));
        }
    }

    @Override
    public synchronized void randomUniform(Buffer y, float low, float high, long seed, long offset) {
        enter();
        long n = y.length();
        if (n > 0) {
            kernels.launch("gan4j_random_uniform", n, p(ptr(y)), l(n), f(low), f(high), l(seed), l(offset));
        }
    }

    @Override
    public synchronized void randomBernoulli(Buffer y, float p, long seed, long offset) {
        enter();
        long n = y.length();
        if (n > 0) {
            kernels.launch("gan4j_random_bernoulli", n, p(ptr(y)), l(n), f(p), l(seed), l(offset));
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Override
    public synchronized void adamStep(Buffer param, Buffer grad, Buffer m, Buffer v, float lr, float beta1, float beta2,
                                      float eps, float weightDecay, boolean decoupled, long step) {
        enter();
        long n = param.length();
        // the same host-side constants as CpuAdam
        float bc1 = (float) (1 - Math.pow(beta1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
        float stepSize = lr / bc1;
        if (n > 0) {
            kernels.launch("gan4j_adam", n, p(ptr(param)), p(ptr(grad)), p(ptr(m)), p(ptr(v)), l(n), f(lr), f(beta1),
                    f(beta2), f(eps), f(weightDecay), i(decoupled ? 1 : 0), f(stepSize), f(bc2Sqrt));
        }
    }

    // ---------------------------------------------------------------- fused kernels beyond the SPI

    /** Elementwise BCE with logits: {@code loss = max(x, 0) - x t + log(1 + e^-|x|)}. */
    public synchronized void bceWithLogits(Buffer x, Buffer target, Buffer loss) {
        enter();
        long n = x.length();
        kernels.launch("gan4j_bce_logits_fwd", n, p(ptr(x)), p(ptr(target)), p(ptr(loss)), l(n));
    }

    /** Its gradient: {@code dx = g (sigmoid(x) - t)}, g the upstream gradient of each element (1/n for the mean). */
    public synchronized void bceWithLogitsBackward(Buffer x, Buffer target, float g, Buffer dx) {
        enter();
        long n = x.length();
        kernels.launch("gan4j_bce_logits_bwd", n, p(ptr(x)), p(ptr(target)), f(g), p(ptr(dx)), l(n));
    }

    /** {@code y = x if x > 0 else alpha x}. */
    public synchronized void leakyRelu(Buffer x, float alpha, Buffer y) {
        enter();
        long n = x.length();
        kernels.launch("gan4j_leaky_relu_fwd", n, p(ptr(x)), f(alpha), p(ptr(y)), l(n));
    }

    /** {@code dx = dy (1 if x > 0 else alpha)}, in one pass. */
    public synchronized void leakyReluBackward(Buffer x, Buffer dy, float alpha, Buffer dx) {
        enter();
        long n = x.length();
        kernels.launch("gan4j_leaky_relu_bwd", n, p(ptr(x)), p(ptr(dy)), f(alpha), p(ptr(dx)), l(n));
    }

    /** PReLU over {@code [n, c, spatial]} with one slope per channel. */
    public synchronized void prelu(int n, int c, int spatial, Buffer x, Buffer alpha, Buffer y) {
        enter();
        long total = (long) n * c * spatial;
        kernels.launch("gan4j_prelu_fwd", total, p(ptr(x)), p(ptr(alpha)), p(ptr(y)), l(total), i(c), l(spatial));
    }

    /** PReLU gradients: dx, and dAlpha[c] = sum of dy x over the elements of channel c with x <= 0. */
    public synchronized void preluBackward(int n, int c, int spatial, Buffer x, Buffer alpha, Buffer dy, Buffer dx,
                                           Buffer dAlpha) {
        enter();
        long total = (long) n * c * spatial;
        kernels.launch("gan4j_prelu_bwd_data", total, p(ptr(x)), p(ptr(alpha)), p(ptr(dy)), p(ptr(dx)), l(total),
                i(c), l(spatial));
        kernels.launch("gan4j_prelu_bwd_alpha", channelBlocks(c), 1, 1, CudaKernels.BLOCK, p(ptr(x)), p(ptr(dy)),
                p(ptr(dAlpha)), i(n), i(c), l(spatial));
    }

    // ---------------------------------------------------------------- lifetime

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        enter();
        JCudaDriver.cuStreamSynchronize(stream);
        closed = true;
        convolution.close();
        gemm.close();
        allocator.emptyCache();
        kernels.unload();
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
