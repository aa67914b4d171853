package io.gan4j.core.autograd;

import io.gan4j.core.backend.BinaryOp;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: walks the tape from the outputs back to the inputs, calling each op's
 * {@link Function#backward}. With {@code createGraph} the backward ops are themselves recorded, so the
 * gradients can be differentiated again (gradient penalties).
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Accumulates d(root)/d(leaf) into {@link Tensor#grad()} of every leaf that requires a gradient.
     * {@code gradient} is d(loss)/d(root); null means 1 for a one-element root.
     */
    public static void backward(Tensor root, Tensor gradient) {
        if (!root.requiresGrad()) {
            throw new IllegalArgumentException("backward: the tensor does not require a gradient "
                    + "(no input of it requires one, or it was computed with gradient recording off)");
        }
        Map<Tensor, Tensor> grads = run(new Tensor[] {root}, new Tensor[] {gradient}, null, false);
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            Tensor leaf = e.getKey();
            if (leaf.isLeaf() && leaf.requiresGrad()) {
                accumulate(leaf, e.getValue());
            }
        }
    }

    /** d(output)/d(input) for a one-element output. */
    public static Tensor grad(Tensor output, Tensor input, boolean createGraph) {
        return grad(new Tensor[] {output}, new Tensor[] {input}, null, createGraph)[0];
    }

    /**
     * The gradients of {@code sum(outputs[i] * gradOutputs[i])} with respect to each input (a zero
     * tensor for an input the outputs do not depend on). {@code gradOutputs} may be null for
     * one-element outputs.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + describe(in) + " does not require a gradient");
            }
        }
        Set<Tensor> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(Arrays.asList(inputs));
        Map<Tensor, Tensor> grads = run(outputs, gradOutputs == null ? new Tensor[outputs.length] : gradOutputs,
                targets, createGraph);
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            result[i] = g != null ? g : inputs[i].zerosLike();
        }
        return result;
    }

    private static Map<Tensor, Tensor> run(Tensor[] outputs, Tensor[] gradOutputs, Set<Tensor> targets,
                                           boolean createGraph) {
        List<Tensor> order = topologicalOrder(outputs);
        Set<Tensor> expand = targets == null ? null : leadingToTargets(order, targets);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        try (GradMode mode = GradMode.set(createGraph)) {
            for (int i = 0; i < outputs.length; i++) {
                Tensor out = outputs[i];
                Tensor g = gradOutputs[i];
                if (g == null) {
                    if (out.numel() != 1) {
                        throw new IllegalArgumentException("backward: output of shape " + Shape.str(out.shape())
                                + " is not a scalar; pass the gradient of the loss with respect to it");
                    }
                    g = out.onesLike();
                } else if (!Arrays.equals(g.shape(), out.shape())) {
                    throw new IllegalArgumentException("backward: gradient of shape " + Shape.str(g.shape())
                            + " for an output of shape " + Shape.str(out.shape()));
                }
                add(grads, out, g);
            }
            for (Tensor t : order) {
                Function fn = t.gradFn();
                Tensor g = grads.get(t);
                if (fn == null || g == null || (expand != null && !expand.contains(t))) {
                    continue;
                }
                Tensor[] inputGrads = fn.backward(g);
                Tensor[] inputs = fn.inputs();
                for (int k = 0; k < inputs.length; k++) {
                    Tensor in = inputs[k];
                    if (in == null || !in.requiresGrad() || inputGrads[k] == null) {
                        continue;
                    }
                    if (!Arrays.equals(inputGrads[k].shape(), in.shape())) {
                        throw new IllegalStateException(fn.name() + ".backward returned a gradient of shape "
                                + Shape.str(inputGrads[k].shape()) + " for input " + k + " of shape "
                                + Shape.str(in.shape()));
                    }
                    add(grads, in, inputGrads[k]);
                }
            }
        }
        return grads;
    }

    /**
     * The tensors whose backward must run to reach a requested input: those computed from one. The walk
     * stops at requested inputs unless they are themselves computed from another requested input.
     */
    private static Set<Tensor> leadingToTargets(List<Tensor> order, Set<Tensor> targets) {
        Set<Tensor> leading = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = order.size() - 1; i >= 0; i--) {   // inputs before the tensors computed from them
            Tensor t = order.get(i);
            if (t.gradFn() == null) {
                continue;
            }
            for (Tensor in : t.gradFn().inputs()) {
                if (in != null && (targets.contains(in) || leading.contains(in))) {
                    leading.add(t);
                    break;
                }
            }
        }
        return leading;
    }

    private static void add(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        Tensor prev = grads.get(t);
        grads.put(t, prev == null ? g : prev.add(g));
    }

    /** Tensors reachable from the outputs, each after every tensor computed from it (outputs first). */
    private static List<Tensor> topologicalOrder(Tensor[] outputs) {
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> post = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {tensor, next input index}
        for (Tensor o : outputs) {
            if (o.requiresGrad() && visited.add(o)) {
                stack.push(new Object[] {o, 0});
            }
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                int next = (Integer) top[1];
                Tensor[] ins = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
                if (next < ins.length) {
                    top[1] = next + 1;
                    Tensor in = ins[next];
                    if (in != null && in.requiresGrad() && visited.add(in)) {
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    post.add(t);
                }
            }
        }
        Collections.reverse(post);
        return post;
    }

    /** Adds {@code g} into the leaf's {@code .grad}, which lives as long as the leaf (outside any scope). */
    private static void accumulate(Tensor leaf, Tensor g) {
        Tensor current = leaf.grad();
        if (current == null || current.isClosed()) {
            Tensor copy = MemoryScope.detached(() -> Tensor.empty(leaf.backend(), leaf.shape()));
            leaf.backend().copy(g.buffer(), 0, copy.buffer(), 0, g.numel());
            leaf.setGrad(copy);
        } else {
            long[] strides = Shape.strides(current.shape());
            leaf.backend().binary(BinaryOp.ADD, current.buffer(), strides, g.buffer(), strides, current.buffer(),
                    current.shape());
        }
    }

    private static String describe(Tensor t) {
        return t.name() != null ? "'" + t.name() + "' " + Shape.str(t.shape()) : Shape.str(t.shape());
    }
}
