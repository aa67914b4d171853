package io.gan4j.core.autograd;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;

import java.util.function.Function;

/**
 * Finite-difference checks of gradients, first and second order, for ops and layers.
 *
 * <p>The checked scalar is {@code L = sum(f(inputs) * r)} with a fixed random projection {@code r}, so
 * every output element contributes. Derivatives are central differences {@code (L(x+h) - L(x-h)) / 2h};
 * for first-order checks the projection of {@code f(x+h) - f(x-h)} is accumulated in double on the host,
 * so that float32 rounding of a large {@code L} does not swamp the difference, and {@code 2h} is the
 * perturbation actually representable in float32. Element {@code i} passes when
 * {@code |analytic - numeric| <= atol + rtol * |numeric|}. Large inputs are checked on a fixed sample of
 * their elements.
 */
public final class GradCheck {
    private final double eps;
    private final double atol;
    private final double rtol;
    private final int maxChecksPerInput;

    public GradCheck(double eps, double atol, double rtol, int maxChecksPerInput) {
        if (!(eps > 0) || !(atol >= 0) || !(rtol >= 0) || maxChecksPerInput < 1) {
            throw new IllegalArgumentException("GradCheck: invalid settings eps=" + eps + " atol=" + atol + " rtol="
                    + rtol + " maxChecksPerInput=" + maxChecksPerInput);
        }
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.maxChecksPerInput = maxChecksPerInput;
    }

    /** Defaults suited to float32 arithmetic. */
    public static GradCheck float32() {
        return new GradCheck(1e-2, 2e-3, 2e-2, 64);
    }

    /** The same check with another perturbation size. */
    public GradCheck eps(double newEps) {
        return new GradCheck(newEps, atol, rtol, maxChecksPerInput);
    }

    /** The same check with other tolerances. */
    public GradCheck tolerance(double newAtol, double newRtol) {
        return new GradCheck(eps, newAtol, newRtol, maxChecksPerInput);
    }

    /** The same check on at most {@code n} elements of each input. */
    public GradCheck maxChecks(int n) {
        return new GradCheck(eps, atol, rtol, n);
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
        Tensor probe = f.apply(inputs);
        Tensor r = Tensor.randn(probe.backend(), new Generator(12345), 0f, 1f, probe.shape());
        float[] rs = r.toArray();
        Function<Tensor[], Tensor> loss = xs -> f.apply(xs).mul(r).sum();
        Tensor[] analytic = analytic(loss, inputs);
        for (int i = 0; i < inputs.length; i++) {
            float[] x = inputs[i].toArray();
            float[] a = analytic[i].toArray();
            for (int idx : sample(x.length)) {
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[idx] = (float) (x[idx] + eps);
                minus[idx] = (float) (x[idx] - eps);
                float[] fp = evaluate(f, inputs, i, plus);
                float[] fm = evaluate(f, inputs, i, minus);
                double diff = 0;
                for (int k = 0; k < rs.length; k++) {
                    diff += (double) rs[k] * ((double) fp[k] - (double) fm[k]);
                }
                compareOne(what, i, idx, a[idx], diff / ((double) plus[idx] - (double) minus[idx]));
            }
        }
    }

    /**
     * Checks the second derivatives: the gradient of {@code sum(grad(L, inputs) * v)} with respect to
     * the inputs, where {@code L} is the projected first-order loss and the gradient is built with
     * {@code createGraph}.
     */
    public void checkSecondOrder(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Projection p = Projection.of(f, inputs);
        String name = what + " (second order)";
        Tensor[] analytic = p.secondDerivatives(f, inputs);
        float[][] vs = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            vs[i] = p.v()[i].toArray();
        }
        Tensor r = p.r();
        for (int i = 0; i < inputs.length; i++) {
            float[] x = inputs[i].toArray();
            float[] a = analytic[i].toArray();
            for (int idx : sample(x.length)) {
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[idx] = (float) (x[idx] + eps);
                minus[idx] = (float) (x[idx] - eps);
                // the first derivatives at x +- h, projected on v on the host in double
                double lp = projectedGradient(f, r, vs, arguments(inputs, i, plus));
                double lm = projectedGradient(f, r, vs, arguments(inputs, i, minus));
                compareOne(name, i, idx, a[idx], (lp - lm) / ((double) plus[idx] - (double) minus[idx]));
            }
        }
    }

    /**
     * The analytic second derivatives {@link #checkSecondOrder} checks, with the same projections: two
     * implementations of one function (another backend, another algorithm) can be held to each other with them.
     */
    public static float[][] secondDerivatives(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor[] second = Projection.of(f, inputs).secondDerivatives(f, inputs);
        float[][] result = new float[second.length][];
        for (int i = 0; i < second.length; i++) {
            result[i] = second[i].toArray();
        }
        return result;
    }

    /** The fixed random tensors of the second-order check: r weighs f's outputs, v[i] the gradient of input i. */
    private record Projection(Tensor r, Tensor[] v) {
        static Projection of(Function<Tensor[], Tensor> f, Tensor[] inputs) {
            Tensor probe = f.apply(inputs);
            Tensor r = Tensor.randn(probe.backend(), new Generator(12345), 0f, 1f, probe.shape());
            Tensor[] v = new Tensor[inputs.length];
            Generator g = new Generator(6789);
            for (int i = 0; i < inputs.length; i++) {
                v[i] = Tensor.randn(inputs[i].backend(), g, 0f, 1f, inputs[i].shape());
            }
            return new Projection(r, v);
        }

        /** The gradient of {@code sum_i <dL/d(xs[i]), v[i]>}, {@code L = sum(f(xs) * r)}, built with createGraph. */
        Tensor[] secondDerivatives(Function<Tensor[], Tensor> f, Tensor[] inputs) {
            return analytic(xs -> {
                Tensor l = f.apply(xs).mul(r).sum();
                Tensor[] grads = Autograd.grad(new Tensor[] {l}, xs, null, true);
                Tensor acc = null;
                for (int i = 0; i < xs.length; i++) {
                    Tensor term = grads[i].mul(v[i]).sum();
                    acc = acc == null ? term : acc.add(term);
                }
                return acc;
            }, inputs);
        }
    }

    /** {@code sum_i <dL/d(xs[i]), v[i]>} with {@code L = sum(f(xs) * r)}, accumulated in double. */
    private static double projectedGradient(Function<Tensor[], Tensor> f, Tensor r, float[][] v, Tensor[] xs) {
        Tensor l = f.apply(xs).mul(r).sum();
        Tensor[] grads = Autograd.grad(new Tensor[] {l}, xs, null, false);
        double acc = 0;
        for (int i = 0; i < xs.length; i++) {
            float[] g = grads[i].toArray();
            for (int k = 0; k < g.length; k++) {
                acc += (double) g[k] * v[i][k];
            }
        }
        return acc;
    }

    private static Tensor[] analytic(Function<Tensor[], Tensor> loss, Tensor[] inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = inputs[i].detach().requiresGrad(true);
        }
        Tensor l = loss.apply(leaves);
        return Autograd.grad(new Tensor[] {l}, leaves, null, false);
    }

    private void compareOne(String what, int input, int idx, float analytic, double numeric) {
        double diff = Math.abs(analytic - numeric);
        if (!(diff <= atol + rtol * Math.abs(numeric))) {
            throw new Mismatch(String.format("%s: d/d(input %d)[%d] analytic %.6g vs numeric %.6g (|diff| %.3g)",
                    what, input, idx, analytic, numeric, diff));
        }
    }

    /** The indices checked for an input of {@code n} elements: all, or a fixed spread-out sample. */
    private int[] sample(int n) {
        int checks = Math.min(n, maxChecksPerInput);
        int[] out = new int[checks];
        for (int c = 0; c < checks; c++) {
            out[c] = checks == n ? c : (int) ((long) c * n / checks + (c * 7L) % Math.max(1, n / checks));
        }
        return out;
    }

    private static Tensor[] arguments(Tensor[] inputs, int which, float[] moved) {
        Tensor[] args = new Tensor[inputs.length];
        for (int j = 0; j < args.length; j++) {
            args[j] = j == which ? Tensor.of(inputs[which].backend(), moved, inputs[which].shape())
                    : inputs[j].detach();
            args[j].requiresGrad(true);
        }
        return args;
    }

    private static float[] evaluate(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, float[] moved) {
        // recording stays on: f may itself differentiate (a gradient penalty)
        return f.apply(arguments(inputs, which, moved)).toArray();
    }
}
