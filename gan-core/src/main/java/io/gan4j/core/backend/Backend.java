package io.gan4j.core.backend;

/**
 * The primitive kernels every backend provides. Tensors, autograd and layers are written once on top
 * of this interface; the CPU backend is the reference implementation that every other backend is
 * tested against.
 *
 * <p>Conventions: all data is float32; every buffer argument holds its tensor contiguously in row-major
 * (NCHW) order; sizes are element counts. A kernel never allocates memory that outlives the call except
 * where it says so. Random kernels are counter based: the numbers depend only on {@code (seed, offset)}
 * and the element index, never on the thread count or the backend.
 */
public interface Backend extends AutoCloseable {

    /** Short name: "cpu", "cuda". */
    String name();

    // ---------------------------------------------------------------- memory

    /** A new zero-filled buffer of {@code length} floats. */
    Buffer allocate(long length);

    /**
     * A new buffer of {@code length} floats whose contents are unspecified, for an output that an op overwrites
     * entirely: it saves the zeroing where a backend reuses memory. By default the same as {@link #allocate}.
     */
    default Buffer allocateUninitialized(long length) {
        return allocate(length);
    }

    /** A new buffer holding a copy of {@code data[offset, offset + length)}. */
    Buffer upload(float[] data, int offset, int length);

    /** Copies {@code src} (all of it) to {@code dst[dstOffset, ...)}. */
    void download(Buffer src, float[] dst, int dstOffset);

    /** Copies {@code length} floats from {@code src[srcOffset]} to {@code dst[dstOffset]}. */
    void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long length);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(Buffer dst, float value);

    /** Bytes of memory currently allocated and not freed (for leak checks). */
    long bytesInUse();

    // ---------------------------------------------------------------- elementwise

    /** {@code y[i] = op(x[i], alpha)} over {@code x.length()} elements; {@code y} may be {@code x}. */
    void unary(UnaryOp op, float alpha, Buffer x, Buffer y);

    /**
     * {@code out[idx] = op(a[idx . aStrides], b[idx . bStrides])} for every index of {@code outShape};
     * a stride of 0 broadcasts that axis. Strides are in elements, one per axis of {@code outShape}.
     */
    void binary(BinaryOp op, Buffer a, long[] aStrides, Buffer b, long[] bStrides, Buffer out, int[] outShape);

    /** {@code y = x} viewed as {@code shape}, permuted so that axis {@code i} of y is axis {@code perm[i]} of x. */
    void permute(Buffer x, int[] shape, int[] perm, Buffer y);

    /**
     * Reduces the middle axis of {@code x} viewed as {@code [outer, length, inner]} into
     * {@code y[outer, inner]}; each output is accumulated in index order (deterministic).
     */
    void reduce(ReduceOp op, Buffer x, int outer, int length, int inner, Buffer y);

    // ---------------------------------------------------------------- matrix products

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C}, row-major, op(A) is m x k, op(B) is k x n; with
     * {@code batch > 1} the matrices follow each other at the given strides (in elements).
     * {@code lda}, {@code ldb}, {@code ldc} are the row strides of A, B, C as stored.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Buffer a, int lda, long strideA, Buffer b, int ldb, long strideB,
              float beta, Buffer c, int ldc, long strideC, int batch);

    // ---------------------------------------------------------------- convolution

    /** {@code y = conv2d(x, w)}; x {@code [n,c,h,w]}, w {@code [k,c,r,s]}, y {@code [n,k,p,q]} (overwritten). */
    void conv2dForward(ConvGeometry g, Buffer x, Buffer w, Buffer y);

    /** {@code dx = conv2d_backward_data(dy, w)} (the transposed convolution); dx overwritten. */
    void conv2dBackwardData(ConvGeometry g, Buffer dy, Buffer w, Buffer dx);

    /** {@code dw = conv2d_backward_filter(x, dy)}; dw overwritten. */
    void conv2dBackwardFilter(ConvGeometry g, Buffer x, Buffer dy, Buffer dw);

    // ---------------------------------------------------------------- normalisation

    /**
     * Batch norm over {@code x} viewed as {@code [n, c, spatial]}, training mode: normalises with the
     * batch statistics, writes {@code saveMean} and {@code saveInvStd} (per channel, for the backward
     * pass) and updates {@code runningMean}/{@code runningVar} (unbiased variance) with {@code momentum}
     * as PyTorch does; the running buffers may be null.
     */
    void batchNormForwardTraining(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                  Buffer runningMean, Buffer runningVar, float momentum, float eps,
                                  Buffer y, Buffer saveMean, Buffer saveInvStd);

    /** Batch norm in evaluation mode: normalises with the running statistics. */
    void batchNormForwardInference(int n, int c, int spatial, Buffer x, Buffer gamma, Buffer beta,
                                   Buffer runningMean, Buffer runningVar, float eps, Buffer y);

    /** Gradients of training-mode batch norm; dx, dGamma, dBeta overwritten. */
    void batchNormBackward(int n, int c, int spatial, Buffer x, Buffer dy, Buffer gamma,
                           Buffer saveMean, Buffer saveInvStd, Buffer dx, Buffer dGamma, Buffer dBeta);

    // ---------------------------------------------------------------- resampling

    /** Nearest-neighbour upsampling of {@code [planes, h, w]} by integer factors into {@code [planes, h*fh, w*fw]}. */
    void upsampleNearest(int planes, int h, int w, int fh, int fw, Buffer x, Buffer y);

    /** Backward of {@link #upsampleNearest}: each input pixel receives the sum of its copies. */
    void upsampleNearestBackward(int planes, int h, int w, int fh, int fw, Buffer dy, Buffer dx);

    /** Pixel shuffle {@code [n, c*r*r, h, w] -> [n, c, h*r, w*r]} (as PyTorch), or its inverse. */
    void pixelShuffle(int n, int c, int h, int w, int r, boolean inverse, Buffer x, Buffer y);

    // ---------------------------------------------------------------- random numbers

    /** {@code y[i] = mean + std * N(0,1)} drawn from the counter-based stream {@code (seed, offset + i)}. */
    void randomNormal(Buffer y, float mean, float std, long seed, long offset);

    /** {@code y[i] = U[low, high)} from the stream {@code (seed, offset + i)}. */
    void randomUniform(Buffer y, float low, float high, long seed, long offset);

    /** {@code y[i] = 1 with probability p, else 0}, from the stream {@code (seed, offset + i)}. */
    void randomBernoulli(Buffer y, float p, long seed, long offset);

    // ---------------------------------------------------------------- optimizers

    /**
     * {@code y[i] = a * x[i] + b * y[i]} over the elements of {@code y}, in place: one step of a moving
     * average. The default runs three passes and a temporary through {@link #unary} and {@link #binary}; a
     * backend may fuse them, with the same rounding (two products, then their sum).
     */
    default void axpby(float a, Buffer x, float b, Buffer y) {
        if (x.length() != y.length()) {
            throw new IllegalArgumentException("axpby: x has " + x.length() + " elements, y " + y.length());
        }
        long[] strides = {1};
        unary(UnaryOp.MUL_SCALAR, b, y, y);
        try (Buffer ax = allocate(x.length())) {
            unary(UnaryOp.MUL_SCALAR, a, x, ax);
            binary(BinaryOp.ADD, y, strides, ax, strides, y, new int[] {Math.toIntExact(y.length())});
        }
    }

    /**
     * One fused Adam/AdamW step on {@code param} in place, with bias correction for step {@code step}
     * (1-based). {@code decoupled}: AdamW's weight decay {@code p -= lr * wd * p}; otherwise L2 added
     * to the gradient as in torch.optim.Adam.
     */
    void adamStep(Buffer param, Buffer grad, Buffer m, Buffer v, float lr, float beta1, float beta2,
                  float eps, float weightDecay, boolean decoupled, long step);

    /** Releases what the backend holds (thread pools, handles). */
    @Override
    default void close() {
    }
}
