package io.gan4j.core.autograd;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.function.Function;

/**
 * Finite-difference checks of gradients, first and second order, for ops and layers.
 *
 * <p>The checked scalar is {@code L = sum(f(inputs) * r)} with a fixed random projection {@code r}, so
 * every output element contributes. Derivatives are central differences {@code (L(x+h) - L(x-h)) / 2h}
 * accumulated in double; element {@code i} passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}.
 * Large inputs are checked on a fixed sample of their elements.
 */
public final class GradCheck {
    private final double eps;
    private final double atol;
    private final double rtol;
    private final int maxChecksPerInput;

    public GradCheck(double eps, double atol, double rtol, int maxChecksPerInput) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.maxChecksPerInput = maxChecksPerInput;
    }

    /** Defaults suited to float32 arithmetic. */
    public static GradCheck float32() {
        return new GradCheck(1e-2, 2e-3, 2e-2, 64);
    }

    /** Thrown when an analytic gradient disagrees with finite differences. */
    public static final class Mismatch extends AssertionError {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }

    /** Checks the first derivatives of {@code f} with respect to every input. */
    public void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe;
        try (GradMode off = GradMode.disable()) {
            probe = f.apply(inputs);
        }
        Tensor r = Tensor.randn(probe.backend(), new Generator(12345), 0f, 1f, probe.shape());
        Function<Tensor[], Tensor> loss = xs -> f.apply(xs).mul(r).sum();
        compare(what, loss, inputs);
    }

    /**
     * Checks the second derivatives: the gradient of {@code sum(grad(L, inputs) * v)} with respect to
     * the inputs, where {@code L} is the projected first-order loss and the gradient is built with
     * {@code createGraph}.
     */
    public void checkSecondOrder(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe;
        try (GradMode off = GradMode.disable()) {
            probe = f.apply(inputs);
        }
        Tensor r = Tensor.randn(probe.backend(), new Generator(12345), 0f, 1f, probe.shape());
        Tensor[] v = new Tensor[inputs.length];
        Generator g = new Generator(6789);
        for (int i = 0; i < inputs.length; i++) {
            v[i] = Tensor.randn(inputs[i].backend(), g, 0f, 1f, inputs[i].shape());
        }
        Function<Tensor[], Tensor> gradLoss = xs -> {
            Tensor l = f.apply(xs).mul(r).sum();
            Tensor[] grads = Autograd.grad(new Tensor[] {l}, xs, null, true);
            Tensor acc = null;
            for (int i = 0; i < xs.length; i++) {
                Tensor term = grads[i].mul(v[i]).sum();
                acc = acc == null ? term : acc.add(term);
            }
            return acc;
        };
        compare(what + " (second order)", gradLoss, inputs);
    }

    private void compare(String what, Function<Tensor[], Tensor> loss, Tensor[] inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = inputs[i].detach().requiresGrad(true);
        }
        Tensor l = loss.apply(leaves);
        Tensor[] analytic = Autograd.grad(new Tensor[] {l}, leaves, null, false);
        for (int i = 0; i < inputs.length; i++) {
            float[] x = inputs[i].toArray();
            float[] a = analytic[i].toArray();
            int n = x.length;
            int checks = Math.min(n, maxChecksPerInput);
            for (int c = 0; c < checks; c++) {
                int idx = checks == n ? c : (int) ((long) c * n / checks + (c * 7L) % Math.max(1, n / checks));
                double numeric = numeric(loss, inputs, i, x, idx);
                double diff = Math.abs(a[idx] - numeric);
                if (!(diff <= atol + rtol * Math.abs(numeric))) {
                    throw new Mismatch(String.format("%s: d/d(input %d)[%d] analytic %.6g vs numeric %.6g (|diff| %.3g)",
                            what, i, idx, a[idx], numeric, diff));
                }
            }
        }
    }

    private double numeric(Function<Tensor[], Tensor> loss, Tensor[] inputs, int which, float[] x, int idx) {
        float saved = x[idx];
        double[] values = new double[2];
        for (int side = 0; side < 2; side++) {
            float[] moved = x.clone();
            moved[idx] = (float) (saved + (side == 0 ? eps : -eps));
            Tensor[] args = inputs.clone();
            args[which] = Tensor.of(inputs[which].backend(), moved, inputs[which].shape()).requiresGrad(true);
            for (int j = 0; j < args.length; j++) {
                if (j != which) {
                    args[j] = inputs[j].detach().requiresGrad(true);
                }
            }
            values[side] = loss.apply(args).item();
        }
        return (values[0] - values[1]) / (2 * eps);
    }
}
