package io.gan4j.core.autograd;

import io.gan4j.core.tensor.Tensor;

/**
 * One recorded operation of the tape. A subclass computes its output with backend kernels and writes
 * {@link #backward} with differentiable ops, so that gradients of gradients work; an op whose backward
 * cannot be differentiated again wraps its gradients with {@link #onceDifferentiable}.
 */
public abstract class Function {
    private Tensor[] inputs;

    /** The tensors this op was applied to, in order. */
    public final Tensor[] inputs() {
        return inputs;
    }

    protected final Tensor input(int i) {
        return inputs[i];
    }

    /** The gradient of the loss with respect to each input (null where an input needs none). */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** The op's name in messages: its class name. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Whether input {@code i} needs a gradient. */
    protected final boolean needsGrad(int i) {
        return inputs[i].requiresGrad();
    }

    /**
     * Records {@code fn} as the producer of {@code output} when recording is on and any input requires a
     * gradient; returns {@code output} either way.
     */
    public static Tensor record(Function fn, Tensor output, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return output;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (any) {
            fn.inputs = inputs;
            output.attachGradFn(fn);
        }
        return output;
    }

    /**
     * Marks gradients computed by a kernel that has no differentiable form: using them in a further
     * derivative throws {@link NotDifferentiableTwiceException} instead of returning a wrong result.
     */
    protected final Tensor onceDifferentiable(Tensor gradient, Tensor... dependsOn) {
        if (gradient == null) {
            return null;
        }
        return record(new OnceDifferentiable(name()), gradient, dependsOn);
    }

    /** Stands where a backward kernel was used: it has no derivative of its own. */
    private static final class OnceDifferentiable extends Function {
        private final String op;

        OnceDifferentiable(String op) {
            this.op = op;
        }

        @Override
        public String name() {
            return op + "Backward";
        }

        @Override
        protected Tensor[] backward(Tensor gradOutput) {
            throw new NotDifferentiableTwiceException(op);
        }
    }
}
