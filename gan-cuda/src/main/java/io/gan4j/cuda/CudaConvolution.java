package io.gan4j.cuda;

import static io.gan4j.cuda.CudaKernels.i;
import static io.gan4j.cuda.CudaKernels.l;
import static io.gan4j.cuda.CudaKernels.p;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.LongFunction;

import io.gan4j.core.backend.ConvGeometry;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnStatus;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import jcuda.runtime.cudaStream_t;

/** 2-D convolution of the CUDA backend: cuDNN, or im2col + GEMM with our kernels where cuDNN does not load. */
interface CudaConvolution extends AutoCloseable {

    /** Temporary device memory for one call, freed (returned to the cache) when closed. */
    interface Workspace extends AutoCloseable {
        CUdeviceptr pointer();

        @Override
        void close();
    }

    void forward(ConvGeometry g, CUdeviceptr x, CUdeviceptr w, CUdeviceptr y);

    void backwardData(ConvGeometry g, CUdeviceptr dy, CUdeviceptr w, CUdeviceptr dx);

    void backwardFilter(ConvGeometry g, CUdeviceptr x, CUdeviceptr dy, CUdeviceptr dw);

    String describe();

    @Override
    void close();

    /** Whether cuDNN can describe this geometry: its output size must be the floor formula (ConvGeometry allows one more). */
    static boolean standardOutput(ConvGeometry g) {
        return g.p() == (g.h() + 2 * g.padH() - g.r()) / g.strideH() + 1
                && g.q() == (g.w() + 2 * g.padW() - g.s()) / g.strideW() + 1;
    }

    /**
     * im2col + GEMM, as the CPU backend: the batch is cut into slices whose column matrix stays under
     * {@link #COLUMN_LIMIT} floats; the GEMM is whichever the backend uses (cuBLAS or our kernel).
     */
    final class Im2col implements CudaConvolution {
        static final long COLUMN_LIMIT = 32L << 20;   // 128 MiB of columns at most
        private final CudaKernels kernels;
        private final CudaGemm gemm;
        private final LongFunction<Workspace> workspace;

        Im2col(CudaKernels kernels, CudaGemm gemm, LongFunction<Workspace> workspace) {
            this.kernels = kernels;
            this.gemm = gemm;
            this.workspace = workspace;
        }

        private static int slice(ConvGeometry g) {
            long perImage = (long) g.c() * g.r() * g.s() * g.p() * g.q();
            return (int) Math.max(1, Math.min(g.n(), COLUMN_LIMIT / Math.max(1, perImage)));
        }

        private static Pointer geometry(ConvGeometry g) {
            return Pointer.to(new int[] {g.c(), g.h(), g.w(), g.r(), g.s(), g.strideH(), g.strideW(), g.padH(),
                    g.padW(), g.p(), g.q()});
        }

        @Override
        public void forward(ConvGeometry g, CUdeviceptr x, CUdeviceptr w, CUdeviceptr y) {
            int crs = g.c() * g.r() * g.s();
            int pq = g.p() * g.q();
            int nb = slice(g);
            try (Workspace col = workspace.apply((long) crs * nb * pq); Workspace out = workspace.apply((long) g.k() * nb * pq)) {
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    int cnt = Math.min(nb, g.n() - n0);
                    kernels.launch("gan4j_im2col", (long) crs * cnt * pq, p(x), p(col.pointer()), i(n0), i(cnt), geometry(g));
                    gemm.gemm(false, false, g.k(), cnt * pq, crs, 1f, w, crs, 0, col.pointer(), cnt * pq, 0,
                            0f, out.pointer(), cnt * pq, 0, 1);
                    // out [k][cnt][pq] -> y[n0 + nl][k][pq]
                    kernels.launch("gan4j_swap_outer", (long) g.k() * cnt * pq, p(out.pointer()),
                            p(y.withByteOffset((long) n0 * g.k() * pq * Float.BYTES)), i(g.k()), i(cnt), l(pq));
                }
            }
        }

        @Override
        public void backwardData(ConvGeometry g, CUdeviceptr dy, CUdeviceptr w, CUdeviceptr dx) {
            int crs = g.c() * g.r() * g.s();
            int pq = g.p() * g.q();
            int nb = slice(g);
            try (Workspace col = workspace.apply((long) crs * nb * pq); Workspace grad = workspace.apply((long) g.k() * nb * pq)) {
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    int cnt = Math.min(nb, g.n() - n0);
                    kernels.launch("gan4j_swap_outer", (long) g.k() * cnt * pq,
                            p(dy.withByteOffset((long) n0 * g.k() * pq * Float.BYTES)), p(grad.pointer()),
                            i(cnt), i(g.k()), l(pq));
                    gemm.gemm(true, false, crs, cnt * pq, g.k(), 1f, w, crs, 0, grad.pointer(), cnt * pq, 0,
                            0f, col.pointer(), cnt * pq, 0, 1);
                    kernels.launch("gan4j_col2im", (long) cnt * g.c() * g.h() * g.w(), p(col.pointer()), p(dx),
                            i(n0), i(cnt), geometry(g));
                }
            }
        }

        @Override
        public void backwardFilter(ConvGeometry g, CUdeviceptr x, CUdeviceptr dy, CUdeviceptr dw) {
            int crs = g.c() * g.r() * g.s();
            int pq = g.p() * g.q();
            int nb = slice(g);
            try (Workspace col = workspace.apply((long) crs * nb * pq); Workspace grad = workspace.apply((long) g.k() * nb * pq)) {
                for (int n0 = 0; n0 < g.n(); n0 += nb) {
                    int cnt = Math.min(nb, g.n() - n0);
                    kernels.launch("gan4j_im2col", (long) crs * cnt * pq, p(x), p(col.pointer()), i(n0), i(cnt), geometry(g));
                    kernels.launch("gan4j_swap_outer", (long) g.k() * cnt * pq,
                            p(dy.withByteOffset((long) n0 * g.k() * pq * Float.BYTES)), p(grad.pointer()),
                            i(cnt), i(g.k()), l(pq));
                    gemm.gemm(false, true, g.k(), crs, cnt * pq, 1f, grad.pointer(), cnt * pq, 0, col.pointer(),
                            cnt * pq, 0, n0 == 0 ? 0f : 1f, dw, crs, 0, 1);
                }
            }
        }

        @Override
        public String describe() {
            return "im2col + " + gemm.describe() + " (gan4j kernels)";
        }

        @Override
        public void close() {
        }
    }

    /**
     * cuDNN through JCudnn (11.7.0 Java classes on the 12.6.0 JNI library, which binds libcudnn.so.9:
     * docs/gpu/README.md). Descriptors and the algorithm of each direction are cached per geometry; the
     * algorithm is the first of cuDNN's heuristic list ({@code _v7}) that succeeds, fits the workspace bound and,
     * without TF32, does not use tensor-op math. Geometries cuDNN cannot describe go to {@code fallback}.
     */
    final class Cudnn implements CudaConvolution {
        private final cudnnHandle handle = new cudnnHandle();
        private final boolean tf32;
        private final long workspaceLimit;
        private final LongFunction<Workspace> workspace;
        private final CudaConvolution fallback;
        private final Map<ConvGeometry, Plan> plans = new HashMap<>();
        private final long version;

        /** Descriptors and chosen algorithms of one geometry. */
        private static final class Plan {
            final cudnnTensorDescriptor x = new cudnnTensorDescriptor();
            final cudnnTensorDescriptor y = new cudnnTensorDescriptor();
            final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
            final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
            int fwdAlgo = -1;
            long fwdBytes;
            int bwdDataAlgo = -1;
            long bwdDataBytes;
            int bwdFilterAlgo = -1;
            long bwdFilterBytes;
        }

        Cudnn(CUstream stream, boolean tf32, long workspaceLimit, LongFunction<Workspace> workspace,
              CudaConvolution fallback) {
            JCudnn.setExceptionsEnabled(true);   // loads libJCudnn-12.6.0, which needs libcudnn.so.9
            JCudnn.cudnnCreate(handle);
            try {
                JCudnn.cudnnSetStream(handle, new cudaStream_t(stream));
            } catch (RuntimeException | Error e) {
                JCudnn.cudnnDestroy(handle);
                throw e;
            }
            this.version = JCudnn.cudnnGetVersion();
            this.tf32 = tf32;
            this.workspaceLimit = workspaceLimit;
            this.workspace = workspace;
            this.fallback = fallback;
        }

        private Plan plan(ConvGeometry g) {
            return plans.computeIfAbsent(g, key -> {
                Plan p = new Plan();
                JCudnn.cudnnCreateTensorDescriptor(p.x);
                JCudnn.cudnnCreateTensorDescriptor(p.y);
                JCudnn.cudnnCreateFilterDescriptor(p.w);
                JCudnn.cudnnCreateConvolutionDescriptor(p.conv);
                int f = cudnnDataType.CUDNN_DATA_FLOAT;
                int nchw = cudnnTensorFormat.CUDNN_TENSOR_NCHW;
                JCudnn.cudnnSetTensor4dDescriptor(p.x, nchw, f, g.n(), g.c(), g.h(), g.w());
                JCudnn.cudnnSetTensor4dDescriptor(p.y, nchw, f, g.n(), g.k(), g.p(), g.q());
                JCudnn.cudnnSetFilter4dDescriptor(p.w, f, nchw, g.k(), g.c(), g.r(), g.s());
                JCudnn.cudnnSetConvolution2dDescriptor(p.conv, g.padH(), g.padW(), g.strideH(), g.strideW(), 1, 1,
                        cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, f);
                JCudnn.cudnnSetConvolutionMathType(p.conv, tf32 ? cudnnMathType.CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION
                        : cudnnMathType.CUDNN_FMA_MATH);
                return p;
            });
        }

        private boolean acceptable(int status, long memory, int mathType) {
            return status == cudnnStatus.CUDNN_STATUS_SUCCESS && memory <= workspaceLimit
                    && (tf32 || mathType == cudnnMathType.CUDNN_FMA_MATH || mathType == cudnnMathType.CUDNN_DEFAULT_MATH);
        }

        /** The algorithm of the first of {@code count} ranked candidates that is allowed, or {@code otherwise}. */
        private static int firstAcceptable(int count, IntPredicate allowed, IntUnaryOperator algo, int otherwise) {
            for (int j = 0; j < count; j++) {
                if (allowed.test(j)) {
                    return algo.applyAsInt(j);
                }
            }
            return otherwise;
        }

        private static final int CANDIDATES = 8;

        @Override
        public void forward(ConvGeometry g, CUdeviceptr x, CUdeviceptr w, CUdeviceptr y) {
            if (!standardOutput(g)) {
                fallback.forward(g, x, w, y);
                return;
            }
            Plan p = plan(g);
            if (p.fwdAlgo < 0) {
                cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[CANDIDATES];
                for (int j = 0; j < perf.length; j++) perf[j] = new cudnnConvolutionFwdAlgoPerf();
                int[] count = {0};
                JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, p.x, p.w, p.conv, p.y, perf.length, count, perf);
                p.fwdAlgo = firstAcceptable(count[0], j -> acceptable(perf[j].status, perf[j].memory, perf[j].mathType),
                        j -> perf[j].algo, 0);   // IMPLICIT_GEMM: no workspace
                long[] bytes = {0};
                JCudnn.cudnnGetConvolutionForwardWorkspaceSize(handle, p.x, p.w, p.conv, p.y, p.fwdAlgo, bytes);
                p.fwdBytes = bytes[0];
            }
            try (Workspace ws = workspace.apply((p.fwdBytes + 3) / 4)) {
                JCudnn.cudnnConvolutionForward(handle, one(), p.x, x, p.w, w, p.conv, p.fwdAlgo, ws.pointer(),
                        p.fwdBytes, zero(), p.y, y);
            }
        }

        @Override
        public void backwardData(ConvGeometry g, CUdeviceptr dy, CUdeviceptr w, CUdeviceptr dx) {
            if (!standardOutput(g)) {
                fallback.backwardData(g, dy, w, dx);
                return;
            }
            Plan p = plan(g);
            if (p.bwdDataAlgo < 0) {
                cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[CANDIDATES];
                for (int j = 0; j < perf.length; j++) perf[j] = new cudnnConvolutionBwdDataAlgoPerf();
                int[] count = {0};
                JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, p.w, p.y, p.conv, p.x, perf.length, count, perf);
                p.bwdDataAlgo = firstAcceptable(count[0], j -> acceptable(perf[j].status, perf[j].memory, perf[j].mathType),
                        j -> perf[j].algo, 1);   // ALGO_1
                long[] bytes = {0};
                JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(handle, p.w, p.y, p.conv, p.x, p.bwdDataAlgo, bytes);
                p.bwdDataBytes = bytes[0];
            }
            try (Workspace ws = workspace.apply((p.bwdDataBytes + 3) / 4)) {
                JCudnn.cudnnConvolutionBackwardData(handle, one(), p.w, w, p.y, dy, p.conv, p.bwdDataAlgo, ws.pointer(),
                        p.bwdDataBytes, zero(), p.x, dx);
            }
        }

        @Override
        public void backwardFilter(ConvGeometry g, CUdeviceptr x, CUdeviceptr dy, CUdeviceptr dw) {
            if (!standardOutput(g)) {
                fallback.backwardFilter(g, x, dy, dw);
                return;
            }
            Plan p = plan(g);
            if (p.bwdFilterAlgo < 0) {
                cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[CANDIDATES];
                for (int j = 0; j < perf.length; j++) perf[j] = new cudnnConvolutionBwdFilterAlgoPerf();
                int[] count = {0};
                JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, p.x, p.y, p.conv, p.w, perf.length, count, perf);
                p.bwdFilterAlgo = firstAcceptable(count[0], j -> acceptable(perf[j].status, perf[j].memory, perf[j].mathType),
                        j -> perf[j].algo, 1);   // ALGO_1
                long[] bytes = {0};
                JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(handle, p.x, p.y, p.conv, p.w, p.bwdFilterAlgo, bytes);
                p.bwdFilterBytes = bytes[0];
            }
            try (Workspace ws = workspace.apply((p.bwdFilterBytes + 3) / 4)) {
                JCudnn.cudnnConvolutionBackwardFilter(handle, one(), p.x, x, p.y, dy, p.conv, p.bwdFilterAlgo,
                        ws.pointer(), p.bwdFilterBytes, zero(), p.w, dw);
            }
        }

        private static Pointer one() {
            return Pointer.to(new float[] {1f});
        }

        private static Pointer zero() {
            return Pointer.to(new float[] {0f});
        }

        /** Algorithms chosen so far, per geometry (for logs and tests). */
        int cachedPlans() {
            return plans.size();
        }

        @Override
        public String describe() {
            return "cuDNN " + version + (tf32 ? " (TF32 allowed)" : " (FP32 FMA math)") + ", workspace <= "
                    + (workspaceLimit >> 20) + " MiB";
        }

        @Override
        public void close() {
            for (Plan p : plans.values()) {
                JCudnn.cudnnDestroyTensorDescriptor(p.x);
                JCudnn.cudnnDestroyTensorDescriptor(p.y);
                JCudnn.cudnnDestroyFilterDescriptor(p.w);
                JCudnn.cudnnDestroyConvolutionDescriptor(p.conv);
            }
            plans.clear();
            JCudnn.cudnnDestroy(handle);
        }
    }
}
