package io.gan4j.core.tensor;

import io.gan4j.core.autograd.Autograd;
import io.gan4j.core.autograd.Function;
import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Buffer;
import io.gan4j.core.backend.Device;
import io.gan4j.core.ops.Ops;

import java.util.Arrays;

/**
 * An N-d float32 tensor, stored contiguously (row-major) in memory owned by a {@link Backend}.
 *
 * <p>Operations record themselves on the autograd tape when an input {@link #requiresGrad()} and
 * gradient recording is on ({@link io.gan4j.core.autograd.GradMode}). Views ({@link #reshape},
 * {@link #slice}) share memory with the tensor they view. Memory is freed by {@link #close()} or by the
 * {@link MemoryScope} the tensor was created in.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Buffer buffer;
    private final int[] shape;
    private final Tensor base;          // the tensor this one views, or null
    private boolean requiresGrad;
    private Function gradFn;            // the op that produced this tensor, if recorded
    private Tensor grad;
    private String name;

    private Tensor(Backend backend, Buffer buffer, int[] shape, Tensor base) {
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape;
        this.base = base;
        MemoryScope.register(this);
    }

    // ---------------------------------------------------------------- creation

    /** A tensor that takes ownership of {@code buffer} (which must hold exactly numel(shape) floats). */
    public static Tensor wrap(Backend backend, Buffer buffer, int... shape) {
        int[] s = Shape.check("tensor", shape);
        if (buffer.length() != Shape.numel(s)) {
            throw new IllegalArgumentException("tensor: buffer of " + buffer.length() + " floats for shape "
                    + Shape.str(s));
        }
        return new Tensor(backend, buffer, s, null);
    }

    /** Uninitialised tensor (its contents are unspecified), for ops that overwrite every element. */
    public static Tensor empty(Backend backend, int... shape) {
        return allocate("empty", backend, shape, false);
    }

    /** A new zero-filled tensor; {@code op} names the caller in the error for an invalid shape. */
    private static Tensor allocate(String op, Backend backend, int[] shape) {
        return allocate(op, backend, shape, true);
    }

    private static Tensor allocate(String op, Backend backend, int[] shape, boolean zeroed) {
        int[] s = Shape.check(op, shape);
        long n = Shape.numel(s);
        return new Tensor(backend, zeroed ? backend.allocate(n) : backend.allocateUninitialized(n), s, null);
    }

    /** Zeros (the backend's {@link Backend#allocate} contract: new memory is zero-filled). */
    public static Tensor zeros(Backend backend, int... shape) {
        return allocate("zeros", backend, shape);
    }

    public static Tensor zeros(int... shape) {
        return zeros(Device.current(), shape);
    }

    public static Tensor full(Backend backend, float value, int... shape) {
        return full("full", backend, value, shape);
    }

    private static Tensor full(String op, Backend backend, float value, int[] shape) {
        Tensor t = allocate(op, backend, shape);
        backend.fill(t.buffer, value);
        return t;
    }

    public static Tensor full(float value, int... shape) {
        return full(Device.current(), value, shape);
    }

    public static Tensor ones(Backend backend, int... shape) {
        return full("ones", backend, 1f, shape);
    }

    public static Tensor ones(int... shape) {
        return ones(Device.current(), shape);
    }

    public static Tensor scalar(Backend backend, float value) {
        return full(backend, value);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(float value) {
        return scalar(Device.current(), value);
    }

    /** A copy of {@code data} with the given shape. */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        int[] s = Shape.check("of", shape);
        if (data.length != Shape.numel(s)) {
            throw new IllegalArgumentException("of: " + data.length + " values for shape " + Shape.str(s)
                    + " (" + Shape.numel(s) + " elements)");
        }
        return new Tensor(backend, backend.upload(data, 0, data.length), s, null);
    }

    public static Tensor of(float[] data, int... shape) {
        return of(Device.current(), data, shape);
    }

    /** {@code [start, start + step, ...)} below {@code end}. */
    public static Tensor arange(Backend backend, float start, float end, float step) {
        if (step == 0 || (end - start) / step <= 0) {
            throw new IllegalArgumentException("arange: empty range start=" + start + " end=" + end + " step=" + step);
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return of(backend, v, n);
    }

    public static Tensor arange(float start, float end, float step) {
        return arange(Device.current(), start, end, step);
    }

    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /** Standard normal numbers, scaled to {@code N(mean, std^2)}. */
    public static Tensor randn(Backend backend, Generator gen, float mean, float std, int... shape) {
        Tensor t = allocate("randn", backend, shape);
        backend.randomNormal(t.buffer, mean, std, gen.seed(), gen.reserve(t.numel()));
        return t;
    }

    public static Tensor randn(Generator gen, int... shape) {
        return randn(Device.current(), gen, 0f, 1f, shape);
    }

    /** Uniform numbers in {@code [low, high)}. */
    public static Tensor rand(Backend backend, Generator gen, float low, float high, int... shape) {
        Tensor t = allocate("rand", backend, shape);
        backend.randomUniform(t.buffer, low, high, gen.seed(), gen.reserve(t.numel()));
        return t;
    }

    public static Tensor rand(Generator gen, int... shape) {
        return rand(Device.current(), gen, 0f, 1f, shape);
    }

    /** 1 with probability {@code p}, else 0. */
    public static Tensor bernoulli(Backend backend, Generator gen, float p, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: probability must be in [0, 1], got " + p);
        }
        Tensor t = allocate("bernoulli", backend, shape);
        backend.randomBernoulli(t.buffer, p, gen.seed(), gen.reserve(t.numel()));
        return t;
    }

    public static Tensor bernoulli(Generator gen, float p, int... shape) {
        return bernoulli(Device.current(), gen, p, shape);
    }

    /** A tensor of the same shape and backend as this one, zero-filled. */
    public Tensor zerosLike() {
        return zeros(backend, shape);
    }

    public Tensor onesLike() {
        return ones(backend, shape);
    }

    // ---------------------------------------------------------------- properties

    public Backend backend() {
        return backend;
    }

    /** The memory behind this tensor (for kernels and backends); an error once it was freed. */
    public Buffer buffer() {
        if (buffer.isClosed()) {
            throw new IllegalStateException("tensor " + Shape.str(shape) + (name != null ? " '" + name + "'" : "")
                    + (gradFn != null ? " (from " + gradFn.name() + ")" : "")
                    + " used after it was freed: its MemoryScope was closed or it was closed explicitly; "
                    + "keep() what must outlive a scope");
        }
        return buffer;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Size of axis {@code axis} (negative counts from the end). */
    public int size(int axis) {
        return shape[Shape.axis("size", axis, shape)];
    }

    public int dim() {
        return shape.length;
    }

    public long numel() {
        return buffer.length();
    }

    /** The tensor this one is a view of, or null. */
    public Tensor base() {
        return base;
    }

    public String name() {
        return name;
    }

    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as one whose gradient {@link #backward()} accumulates in {@link #grad()}. */
    public Tensor requiresGrad(boolean requires) {
        if (gradFn != null && !requires) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor (produced by "
                    + gradFn.name() + "); use detach()");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** The op that produced this tensor on the tape, or null for a leaf. */
    public Function gradFn() {
        return gradFn;
    }

    /** Called by {@link Function} when it records this tensor as its output. */
    public void attachGradFn(Function fn) {
        this.gradFn = fn;
        this.requiresGrad = true;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The accumulated gradient of a leaf, or null. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        if (grad != null && !Arrays.equals(grad.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.str(grad.shape)
                    + " differs from tensor shape " + Shape.str(shape));
        }
        this.grad = grad;
    }

    /** Frees and forgets the accumulated gradient. */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    /** Backpropagates from this scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        Autograd.backward(this, null);
    }

    /** Backpropagates with the given gradient of this tensor. */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient);
    }

    /** The same memory, cut from the tape: no gradient flows through the result. */
    public Tensor detach() {
        return new Tensor(backend, buffer.view(0, buffer.length()), shape, this);
    }

    // ---------------------------------------------------------------- views (shared memory)

    /** A view of the same memory with another shape (one size may be -1). */
    public Tensor view(int... newShape) {
        return Ops.reshape(this, newShape);
    }

    /** Same as {@link #view}: tensors are contiguous, so a reshape never copies. */
    public Tensor reshape(int... newShape) {
        return Ops.reshape(this, newShape);
    }

    /** A view of the same memory with a new shape; no autograd (used by ops). */
    public Tensor viewAs(int[] newShape) {
        int[] s = Shape.reshape(shape, newShape);
        return new Tensor(backend, buffer.view(0, buffer.length()), s, this);
    }

    /** A view of batch entries {@code [from, to)} along axis 0. */
    public Tensor slice(int from, int to) {
        return Ops.slice(this, from, to);
    }

    /** A view of rows {@code [from, to)} of axis 0, without autograd (used by ops). */
    public Tensor sliceView(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from >= to) {
            throw new IllegalArgumentException("slice: [" + from + ", " + to + ") outside axis 0 of shape "
                    + Shape.str(shape));
        }
        long row = numel() / shape[0];
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(backend, buffer.view(from * row, (to - from) * row), s, this);
    }

    // ---------------------------------------------------------------- math (each recorded by its op)

    public Tensor add(Tensor other) { return Ops.add(this, other); }
    public Tensor sub(Tensor other) { return Ops.sub(this, other); }
    public Tensor mul(Tensor other) { return Ops.mul(this, other); }
    public Tensor div(Tensor other) { return Ops.div(this, other); }
    public Tensor add(float c) { return Ops.addScalar(this, c); }
    public Tensor sub(float c) { return Ops.addScalar(this, -c); }
    public Tensor mul(float c) { return Ops.mulScalar(this, c); }
    public Tensor div(float c) { return Ops.mulScalar(this, 1f / c); }
    public Tensor neg() { return Ops.mulScalar(this, -1f); }
    public Tensor pow(float p) { return Ops.pow(this, p); }
    public Tensor square() { return Ops.square(this); }
    public Tensor sqrt() { return Ops.sqrt(this); }
    public Tensor exp() { return Ops.exp(this); }
    public Tensor log() { return Ops.log(this); }
    public Tensor abs() { return Ops.abs(this); }
    public Tensor tanh() { return Ops.tanh(this); }
    public Tensor sigmoid() { return Ops.sigmoid(this); }
    public Tensor relu() { return Ops.relu(this); }
    public Tensor leakyRelu(float slope) { return Ops.leakyRelu(this, slope); }
    public Tensor softplus() { return Ops.softplus(this); }
    public Tensor matmul(Tensor other) { return Ops.matmul(this, other, false, false); }
    public Tensor transpose(int a, int b) { return Ops.transpose(this, a, b); }
    public Tensor permute(int... perm) { return Ops.permute(this, perm); }
    public Tensor expand(int... newShape) { return Ops.expand(this, newShape); }
    public Tensor sum() { return Ops.sumAll(this); }
    public Tensor sum(int[] axes, boolean keepDims) { return Ops.sum(this, axes, keepDims); }
    public Tensor sum(int axis) { return Ops.sum(this, new int[] {axis}, false); }
    public Tensor mean() { return Ops.meanAll(this); }
    public Tensor mean(int[] axes, boolean keepDims) { return Ops.mean(this, axes, keepDims); }
    public Tensor mean(int axis) { return Ops.mean(this, new int[] {axis}, false); }
    public Tensor max(int[] axes, boolean keepDims) { return Ops.max(this, axes, keepDims); }
    public Tensor max(int axis) { return Ops.max(this, new int[] {axis}, false); }
    public Tensor max() { return Ops.maxAll(this); }
    public Tensor narrow(int axis, int start, int length) { return Ops.narrow(this, axis, start, length); }

    // ---------------------------------------------------------------- to host

    /** All elements, row-major, copied to the host. */
    public float[] toArray() {
        float[] out = new float[(int) numel()];
        backend.download(buffer(), out, 0);
        return out;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shape.str(shape) + " has " + numel()
                    + " elements, expected 1");
        }
        return toArray()[0];
    }

    /** Frees the memory (views: nothing; their base owns it). Idempotent. */
    @Override
    public void close() {
        buffer.close();
    }

    public boolean isClosed() {
        return buffer.isClosed();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape));
        if (name != null) {
            sb.append(' ').append(name);
        }
        if (gradFn != null) {
            sb.append(" grad_fn=").append(gradFn.name());
        } else if (requiresGrad) {
            sb.append(" requires_grad");
        }
        if (!isClosed() && numel() <= 16) {
            sb.append(' ').append(Arrays.toString(toArray()));
        }
        return sb.toString();
    }
}
