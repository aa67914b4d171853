package io.gan4j.core.nn;

import io.gan4j.core.autograd.GradMode;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;

/**
 * Spectral normalisation (Miyato et al. 2018), as PyTorch's {@code torch.nn.utils.spectral_norm}: the
 * wrapped layer runs with {@code weight_orig / sigma}, where {@code sigma} estimates the largest singular
 * value of the weight viewed as a matrix {@code [out, rest]} (for a transposed convolution, whose weight
 * is {@code [in, out, k, k]}, output axis 1 is moved first, as PyTorch's {@code dim=1}).
 *
 * <p>The estimate keeps two vectors, {@code u} ({@code [out]}) and {@code v} ({@code [rest]}), refined by
 * one power iteration per training forward pass, in place and without gradient:
 * {@code v = normalize(W^T u), u = normalize(W v)}; then {@code sigma = u^T W v}, differentiated with
 * respect to {@code weight_orig} only (u and v are constants). In evaluation mode u and v stay as they are.
 *
 * <p>Like PyTorch, the wrapper stores nothing under its own name: the layer's {@code weight} becomes the
 * parameter {@code weight_orig} (moved after the layer's other parameters) and the buffers
 * {@code weight_u} and {@code weight_v} are added to the layer, so {@code Sequential(SpectralNorm(conv))} has
 * the state dict {@code 0.bias, 0.weight_orig, 0.weight_u, 0.weight_v}, exactly as in PyTorch.
 */
public final class SpectralNorm extends Module {
    private final Module layer;
    private final WeightedLayer weighted;
    private final int outputAxis;
    private final int rows;
    private final int cols;
    private final int powerIterations;
    private final float eps;

    /** One power iteration per training step and {@code eps = 1e-12}, PyTorch's defaults. */
    public SpectralNorm(Module layer, Generator gen) {
        this(layer, 1, 1e-12f, gen);
    }

    /** {@code gen} draws the initial u and v (normalised normal vectors, as PyTorch). */
    public SpectralNorm(Module layer, int powerIterations, float eps, Generator gen) {
        if (!(layer instanceof WeightedLayer w)) {
            throw new IllegalArgumentException("SpectralNorm: " + layer.typeName()
                    + " is not a layer with a weight (expected Linear, Conv2d, ConvTranspose2d or Embedding)");
        }
        if (!layer.hasParameter("weight")) {
            throw new IllegalArgumentException("SpectralNorm: " + layer.typeName()
                    + " has no parameter 'weight' (is it spectrally normalised already?)");
        }
        if (powerIterations < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("SpectralNorm: invalid settings power_iterations=" + powerIterations
                    + " eps=" + eps);
        }
        this.layer = layer;
        this.weighted = w;
        this.powerIterations = powerIterations;
        this.eps = eps;
        Tensor weight = layer.parameter("weight");
        this.outputAxis = w.weightOutputAxis();
        this.rows = weight.size(outputAxis);
        this.cols = (int) (weight.numel() / rows);
        layer.renameParameter("weight", "weight_orig");
        layer.registerBuffer("weight_u", randomUnitVector(weight, rows, gen));
        layer.registerBuffer("weight_v", randomUnitVector(weight, cols, gen));
        registerTransparentModule(layer);
    }

    private static Tensor randomUnitVector(Tensor like, int n, Generator gen) {
        return MemoryScope.detached(() -> {
            float[] x;
            try (Tensor r = Tensor.randn(like.backend(), gen, 0f, 1f, n)) {
                x = r.toArray();
            }
            double norm = 0;
            for (float f : x) {
                norm += (double) f * f;
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int i = 0; i < n; i++) {
                x[i] = (float) (x[i] / norm);
            }
            return Tensor.of(like.backend(), x, n);
        });
    }

    /** The wrapped layer. */
    public Module layer() {
        return layer;
    }

    public Tensor weightOrig() {
        return layer.parameter("weight_orig");
    }

    /** The left singular vector estimate, {@code [out]}. */
    public Tensor u() {
        return layer.buffer("weight_u");
    }

    /** The right singular vector estimate, {@code [rest]}. */
    public Tensor v() {
        return layer.buffer("weight_v");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (isTraining()) {
            powerIteration();
        }
        return weighted.forwardWithWeight(x, normalized(weightOrig()));
    }

    /** The current estimate {@code u^T W v} of the largest singular value (no power iteration, no gradient). */
    public float sigma() {
        try (MemoryScope scope = MemoryScope.open(); GradMode off = GradMode.disable()) {
            return sigma(weightOrig()).item();
        }
    }

    /** {@code weight_orig / sigma} with the current u and v, without gradient; the caller owns the result. */
    public Tensor normalizedWeight() {
        try (GradMode off = GradMode.disable()) {
            return normalized(weightOrig());
        }
    }

    private Tensor normalized(Tensor weightOrig) {
        return weightOrig.div(sigma(weightOrig));
    }

    /**
     * {@code u^T W v}, differentiable in the weight. u and v are copied first: the next training forward
     * updates them in place, and this step's backward pass must still see the values it used.
     */
    private Tensor sigma(Tensor weightOrig) {
        Tensor u = copyOf(u());
        Tensor v = copyOf(v());
        return u.reshape(1, rows).matmul(matrix(weightOrig)).reshape(cols).mul(v).sum();
    }

    /** The weight as {@code [out, rest]}, output axis first. */
    private Tensor matrix(Tensor weight) {
        if (outputAxis == 0) {
            return weight.reshape(rows, cols);
        }
        int[] perm = new int[weight.dim()];
        perm[0] = outputAxis;
        for (int i = 1, d = 0; i < perm.length; i++, d++) {
            if (d == outputAxis) {
                d++;
            }
            perm[i] = d;
        }
        return weight.permute(perm).reshape(rows, cols);
    }

    private void powerIteration() {
        try (MemoryScope scope = MemoryScope.open(); GradMode off = GradMode.disable()) {
            Tensor w = matrix(weightOrig());
            Tensor u = u();
            Tensor v = v();
            for (int i = 0; i < powerIterations; i++) {
                v = unit(u.reshape(1, rows).matmul(w).reshape(cols));          // W^T u
                u = unit(w.matmul(v.reshape(cols, 1)).reshape(rows));          // W v
            }
            copyInto(v, v());
            copyInto(u, u());
        }
    }

    /** {@code x / (|x| + eps)}; PyTorch divides by {@code max(|x|, eps)}, the same for any vector not ~0. */
    private Tensor unit(Tensor x) {
        return x.div(x.square().sum().sqrt().add(eps));
    }

    private static Tensor copyOf(Tensor t) {
        Tensor c = Tensor.empty(t.backend(), t.shape());
        t.backend().copy(t.buffer(), 0, c.buffer(), 0, t.numel());
        return c;
    }
}
