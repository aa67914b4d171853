package io.gan4j.core.nn;

import io.gan4j.core.backend.Device;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A layer or a network: named parameters (trained), buffers (saved but not trained, e.g. batch norm's
 * running statistics) and sub-modules, each registered in order, so that names and order match PyTorch's
 * {@code state_dict()} ({@code main.0.weight}, {@code main.1.running_mean}, ...) and checkpoints move
 * between the two.
 *
 * <p>Parameters are leaf tensors with {@code requiresGrad(true)} that live until {@link #close()}; layers
 * create them with {@link io.gan4j.core.tensor.MemoryScope#detached}, so that building a model inside a
 * scope does not free its weights. Layers read their parameters by name on every forward pass, which lets
 * {@link #setParameter} substitute a tensor (gradient checks, functional calls).
 *
 * <p>Single-input modules implement {@link #forward(Tensor)}; a module with several inputs (a conditional
 * generator taking noise and labels) adds its own {@code forward(a, b)} and may reject the one-input form.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The output for input {@code x}. */
    public abstract Tensor forward(Tensor x);

    // ---------------------------------------------------------------- registration

    /** Registers a trainable tensor under {@code name}; marks it {@code requiresGrad(true)}. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkNewName(name);
        if (!value.isLeaf()) {
            throw new IllegalArgumentException(typeName() + ": parameter '" + name
                    + "' must be a leaf tensor (created directly, not computed by an op)");
        }
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a tensor that is saved in the state dict but not trained. Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkNewName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a sub-module; its tensors are named {@code name.<its names>}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        addChild(name, module);
        return module;
    }

    /**
     * Registers a sub-module whose tensors keep their own names, with no prefix: a wrapper that changes
     * how a layer runs but not what it stores (spectral norm) looks exactly like that layer in a checkpoint.
     */
    final void registerTransparentModule(Module module) {
        if (children.containsKey("")) {
            throw new IllegalStateException(typeName() + " already wraps a module");
        }
        addChild("", module);
    }

    private void addChild(String name, Module module) {
        if (module == this) {
            throw new IllegalArgumentException(typeName() + ": a module cannot contain itself");
        }
        children.put(name, module);
    }

    /** Moves parameter {@code from} to the end of the parameters under the name {@code to} (PyTorch's order). */
    final Tensor renameParameter(String from, String to) {
        Tensor t = parameter(from);
        checkNewName(to);
        parameters.remove(from);
        parameters.put(to, t);
        return t;
    }

    private void checkNewName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(typeName() + ": invalid name '" + name
                    + "' (must be non-empty and contain no '.')");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(typeName() + ": name '" + name + "' is already registered");
        }
    }

    /**
     * A zero tensor on the current device ({@link Device#current()}) that outlives any open
     * {@link MemoryScope}: what layers make their parameters and buffers from.
     */
    protected static Tensor persistentZeros(int... shape) {
        return MemoryScope.detached(() -> Tensor.zeros(Device.current(), shape));
    }

    // ---------------------------------------------------------------- own tensors

    /** This module's own parameter {@code name} (not a sub-module's). */
    protected final Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalStateException(typeName() + " has no parameter '" + name + "' (it has "
                    + parameters.keySet() + ")");
        }
        return t;
    }

    /** This module's own parameter {@code name}, or null when it has none (an optional bias). */
    protected final Tensor parameterOrNull(String name) {
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalStateException(typeName() + " has no buffer '" + name + "' (it has "
                    + buffers.keySet() + ")");
        }
        return t;
    }

    /** Whether this module itself (not a sub-module) has a parameter of that name. */
    public final boolean hasParameter(String name) {
        return parameters.containsKey(name);
    }

    // ---------------------------------------------------------------- traversal

    /** The direct sub-modules by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and every module below it, depth first, parents before children. */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        visitModules(out::add);
        return out;
    }

    private void visitModules(Consumer<Module> visitor) {
        visitor.accept(this);
        for (Module child : children.values()) {
            child.visitModules(visitor);
        }
    }

    /** Where a tensor of the state dict lives. */
    private record Slot(Module owner, String localName, boolean isBuffer, Tensor tensor) {
    }

    /** Every parameter and buffer by full name, in PyTorch's order: own parameters, own buffers, children. */
    private Map<String, Slot> slots() {
        Map<String, Slot> out = new LinkedHashMap<>();
        collectSlots("", out);
        return out;
    }

    private void collectSlots(String prefix, Map<String, Slot> out) {
        parameters.forEach((name, t) -> out.put(join(prefix, name), new Slot(this, name, false, t)));
        buffers.forEach((name, t) -> out.put(join(prefix, name), new Slot(this, name, true, t)));
        children.forEach((name, m) -> m.collectSlots(join(prefix, name), out));
    }

    private static String join(String prefix, String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return name.isEmpty() ? prefix : prefix + "." + name;
    }

    /**
     * Every parameter by its dotted name, in registration order; a tensor shared by two layers is listed
     * once (under its first name), as in PyTorch, so that an optimizer updates it once.
     */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Slot> e : slots().entrySet()) {
            Slot s = e.getValue();
            if (!s.isBuffer() && seen.add(s.tensor())) {
                out.put(e.getKey(), s.tensor());
            }
        }
        return out;
    }

    /** The parameters, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer by its dotted name, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        slots().forEach((name, s) -> {
            if (s.isBuffer()) {
                out.put(name, s.tensor());
            }
        });
        return out;
    }

    /**
     * Parameters and buffers by PyTorch name and in PyTorch's order. The tensors are the module's own
     * (not copies): save them before changing the model.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        slots().forEach((name, s) -> out.put(name, s.tensor()));
        return out;
    }

    /** Number of trainable values. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    // ---------------------------------------------------------------- loading and substituting

    /**
     * Copies the values of {@code state} into this module's parameters and buffers, in place. Every key
     * must match a tensor of the same shape; all problems (missing keys, unexpected keys, wrong shapes)
     * are reported together, and nothing is changed unless everything matches. PyTorch's
     * {@code num_batches_tracked} counters, which GAN4J does not keep, are ignored.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Slot> slots = slots();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().tensor().shape())) {
                mismatched.add(e.getKey() + ": expected " + Shape.str(e.getValue().tensor().shape())
                        + ", got " + Shape.str(src.shape()));
            }
        }
        for (String key : state.keySet()) {
            if (!slots.containsKey(key) && !isIgnoredKey(key)) {
                unexpected.add(key);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder sb = new StringBuilder("loadStateDict: error(s) loading the state dict of ")
                    .append(typeName()).append("; nothing was loaded");
            if (!missing.isEmpty()) {
                sb.append("\n  missing key(s): ").append(missing);
            }
            if (!unexpected.isEmpty()) {
                sb.append("\n  unexpected key(s): ").append(unexpected);
            }
            for (String m : mismatched) {
                sb.append("\n  shape mismatch for ").append(m);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        slots.forEach((name, s) -> copyInto(state.get(name), s.tensor()));
    }

    private static boolean isIgnoredKey(String key) {
        return key.equals("num_batches_tracked") || key.endsWith(".num_batches_tracked");
    }

    /** Copies the values of {@code src} into {@code dst} (same shape), across backends if needed. */
    static void copyInto(Tensor src, Tensor dst) {
        if (src == dst) {
            return;
        }
        if (src.backend() == dst.backend()) {
            dst.backend().copy(src.buffer(), 0, dst.buffer(), 0, dst.numel());
        } else {
            try (Tensor staged = Tensor.of(dst.backend(), src.toArray(), dst.shape())) {
                dst.backend().copy(staged.buffer(), 0, dst.buffer(), 0, dst.numel());
            }
        }
    }

    /**
     * Puts {@code value} in place of the parameter {@code dottedName} (same shape, a leaf) and returns the
     * tensor it replaced, which is not closed. Forward passes use the new tensor from then on; gradient
     * checks use this to differentiate a layer with respect to its parameters.
     */
    public final Tensor setParameter(String dottedName, Tensor value) {
        Slot s = slots().get(dottedName);
        if (s == null || s.isBuffer()) {
            throw new IllegalArgumentException(typeName() + " has no parameter '" + dottedName + "' (it has "
                    + namedParameters().keySet() + ")");
        }
        if (!Arrays.equals(value.shape(), s.tensor().shape())) {
            throw new IllegalArgumentException("setParameter " + dottedName + ": expected shape "
                    + Shape.str(s.tensor().shape()) + ", got " + Shape.str(value.shape()));
        }
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("setParameter " + dottedName + ": the value must be a leaf tensor");
        }
        s.owner().parameters.put(s.localName(), value.requiresGrad(true));
        return s.tensor();
    }

    // ---------------------------------------------------------------- modes and lifetime

    /** Training mode (batch statistics, dropout on, spectral-norm power iterations), recursively. */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (running statistics, dropout off), recursively. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Frees every parameter's gradient. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Frees every parameter, gradient and buffer of this module and its sub-modules. */
    @Override
    public void close() {
        for (Slot s : slots().values()) {
            s.tensor().zeroGrad();
            s.tensor().close();
        }
    }

    // ---------------------------------------------------------------- description

    /** The name in {@link #toString()}: the class name, as PyTorch prints it. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The layer's settings as they appear between its parentheses, e.g. {@code in_features=100, ...}. */
    protected String extraRepr() {
        return "";
    }

    /** A tree in the style of PyTorch's repr. */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty()) {
            return typeName() + "(" + extra + ")";
        }
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra);
        }
        children.forEach((name, child) -> {
            sb.append("\n  ");
            if (!name.isEmpty()) {
                sb.append('(').append(name).append("): ");
            }
            sb.append(child.toString().replace("\n", "\n  "));
        });
        return sb.append("\n)").toString();
    }

    /** A float as Python prints it in a repr: {@code 0.1}, {@code 1e-05}. */
    static String pyFloat(double v) {
        if (v != 0 && Math.abs(v) < 1e-4) {
            String s = String.format(java.util.Locale.ROOT, "%.6e", v);     // 1.000000e-05
            String mantissa = s.substring(0, s.indexOf('e')).replaceAll("0+$", "").replaceAll("\\.$", "");
            return mantissa + s.substring(s.indexOf('e'));
        }
        return Float.toString((float) v);
    }
}
