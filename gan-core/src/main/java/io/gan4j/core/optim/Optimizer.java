package io.gan4j.core.optim;

import io.gan4j.core.backend.Backend;
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

/**
 * A gradient-descent optimizer over parameter groups, each with its own hyper-parameters (per-module
 * learning rates; TTUR also works with one optimizer per network).
 *
 * <p>Parameters are named, as a module's {@code namedParameters()} names them, and the optimizer's state
 * is keyed by those names PyTorch-style ({@code <param>.exp_avg}, {@code <param>.step}), so it can be saved
 * in a checkpoint next to the model and loaded into a fresh optimizer. State tensors are created on the
 * first step that sees a gradient, outside any {@link MemoryScope}: they live until {@link #close()}.
 *
 * @param <C> the hyper-parameters of one group
 */
public abstract class Optimizer<C extends Optimizer.Config<C>> implements AutoCloseable {

    /** The hyper-parameters of one parameter group; immutable, replaced as a whole (e.g. by a schedule). */
    public interface Config<C> {
        float lr();

        /** The same settings with another learning rate. */
        C withLr(float lr);
    }

    /** A group of named parameters sharing hyper-parameters. */
    public static final class Group<C> {
        private final Map<String, Tensor> params;
        private C config;

        Group(Map<String, Tensor> params, C config) {
            this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
            this.config = config;
        }

        public Map<String, Tensor> params() {
            return params;
        }

        public C config() {
            return config;
        }

        public void config(C config) {
            this.config = config;
        }
    }

    /** The per-parameter state: the step count and the named buffers (e.g. exp_avg). */
    protected static final class ParamState {
        long step;
        final Map<String, Tensor> buffers = new LinkedHashMap<>();

        public long step() {
            return step;
        }

        public Tensor buffer(String name) {
            return buffers.get(name);
        }
    }

    private final List<Group<C>> groups = new ArrayList<>();
    private final Map<String, ParamState> state = new LinkedHashMap<>();
    private final Map<String, Tensor> byName = new LinkedHashMap<>();
    private final Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    protected Optimizer(Map<String, Tensor> namedParams, C config) {
        addGroup(namedParams, config);
    }

    /** Names parameters of an unnamed list {@code param0, param1, ...}. */
    protected static Map<String, Tensor> numbered(List<Tensor> params) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            named.put("param" + i, params.get(i));
        }
        return named;
    }

    /**
     * Adds a group of parameters with its own hyper-parameters. Names must be unique across groups
     * (prefix them, e.g. {@code generator.fc.weight}) and no tensor may be in two groups.
     */
    public final void addGroup(Map<String, Tensor> namedParams, C config) {
        if (namedParams.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter group needs parameters");
        }
        validate(config);
        for (Map.Entry<String, Tensor> e : namedParams.entrySet()) {
            if (byName.containsKey(e.getKey())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter name '" + e.getKey()
                        + "' appears in two groups (prefix the names, e.g. 'generator." + e.getKey() + "')");
            }
            if (seen.contains(e.getValue())) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + e.getKey()
                        + "' is already optimised under another name");
            }
        }
        for (Map.Entry<String, Tensor> e : namedParams.entrySet()) {
            byName.put(e.getKey(), e.getValue());
            seen.add(e.getValue());
        }
        groups.add(new Group<>(namedParams, config));
    }

    public final List<Group<C>> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** Sets the learning rate of every group (for a schedule; per group: {@code groups().get(i).config(...)}). */
    public final void setLr(float lr) {
        for (Group<C> g : groups) {
            C c = g.config().withLr(lr);
            validate(c);
            g.config(c);
        }
    }

    /** Throws if the hyper-parameters are out of range. */
    protected abstract void validate(C config);

    /** The names of the state buffers a parameter needs under these settings, e.g. exp_avg, exp_avg_sq. */
    protected abstract List<String> stateNames(C config);

    /** Updates {@code param} in place from {@code grad}; {@code st.step()} is already the 1-based new step. */
    protected abstract void update(C config, Tensor param, Tensor grad, ParamState st);

    /** One update of every parameter that has a gradient; parameters whose grad is null are skipped. */
    public final void step() {
        for (Group<C> g : groups) {
            for (Map.Entry<String, Tensor> e : g.params().entrySet()) {
                Tensor p = e.getValue();
                Tensor grad = p.grad();
                if (grad == null || grad.isClosed()) {
                    continue;
                }
                ParamState st = state.computeIfAbsent(e.getKey(), k -> new ParamState());
                for (String name : stateNames(g.config())) {
                    if (!st.buffers.containsKey(name)) {
                        st.buffers.put(name, MemoryScope.detached(() -> Tensor.zeros(p.backend(), p.shape())));
                    }
                }
                st.step++;
                update(g.config(), p, grad, st);
            }
        }
    }

    /** Frees every parameter's gradient (so that the next backward starts from zero). */
    public final void zeroGrad() {
        for (Tensor p : byName.values()) {
            p.zeroGrad();
        }
    }

    /**
     * A snapshot of the state: copies of the buffers named {@code <param>.<buffer>} (parameter order, then
     * buffer order) and the step counts named {@code <param>.step}. Later steps do not change it; the
     * tensors belong to the caller's scope. Parameters that never had a gradient have no entries.
     */
    public final OptimizerState stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map.Entry<String, ParamState> e : state.entrySet()) {
            counters.put(e.getKey() + ".step", e.getValue().step);
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet()) {
                tensors.put(e.getKey() + "." + b.getKey(), copy(b.getValue(), b.getValue().backend()));
            }
        }
        return new OptimizerState(tensors, counters);
    }

    /**
     * Replaces the state with {@code saved} (copied, so the caller may free it). Everything is checked
     * before anything changes: unknown names, missing buffers and wrong shapes are errors naming the entry.
     */
    public final void loadStateDict(OptimizerState saved) {
        String who = getClass().getSimpleName() + ".loadStateDict";
        Map<String, Map<String, Tensor>> buffersByParam = new LinkedHashMap<>();
        Map<String, Long> steps = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : saved.counters().entrySet()) {
            String param = paramOf(who, e.getKey(), "step");
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException(who + ": '" + e.getKey() + "' = " + e.getValue()
                        + " (expected a step count >= 0)");
            }
            steps.put(param, e.getValue());
        }
        for (Map.Entry<String, Tensor> e : saved.tensors().entrySet()) {
            String key = e.getKey();
            String param = null;
            String buffer = null;
            for (String name : byName.keySet()) {   // parameter names may themselves contain dots
                if (key.startsWith(name + ".") && (param == null || name.length() > param.length())) {
                    param = name;
                    buffer = key.substring(name.length() + 1);
                }
            }
            if (param == null) {
                throw new IllegalArgumentException(who + ": state '" + key + "' belongs to no parameter of this "
                        + "optimizer (expected '<param>.<buffer>' with one of " + byName.keySet() + ")");
            }
            List<String> expected = stateNames(groupOf(param).config());
            if (!expected.contains(buffer)) {
                throw new IllegalArgumentException(who + ": state '" + key + "': unknown buffer '" + buffer
                        + "' (expected one of " + expected + ")");
            }
            int[] want = byName.get(param).shape();
            if (!Arrays.equals(want, e.getValue().shape())) {
                throw new IllegalArgumentException(who + ": state '" + key + "' has shape "
                        + Shape.str(e.getValue().shape()) + ", expected " + Shape.str(want) + " (the parameter's)");
            }
            buffersByParam.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(buffer, e.getValue());
        }
        for (String param : steps.keySet()) {
            List<String> expected = stateNames(groupOf(param).config());
            Map<String, Tensor> have = buffersByParam.getOrDefault(param, Map.of());
            for (String b : expected) {
                if (!have.containsKey(b)) {
                    throw new IllegalArgumentException(who + ": state '" + param + "." + b + "' is missing (expected "
                            + expected + " for every parameter with a step count)");
                }
            }
        }
        for (String param : buffersByParam.keySet()) {
            if (!steps.containsKey(param)) {
                throw new IllegalArgumentException(who + ": state '" + param + ".step' is missing (buffers without "
                        + "a step count)");
            }
        }
        // all checked: build the new state, then swap it in
        Map<String, ParamState> fresh = new LinkedHashMap<>();
        for (String param : byName.keySet()) {
            if (!steps.containsKey(param)) {
                continue;
            }
            ParamState st = new ParamState();
            st.step = steps.get(param);
            Backend be = byName.get(param).backend();
            for (String b : stateNames(groupOf(param).config())) {
                st.buffers.put(b, MemoryScope.detached(() -> copy(buffersByParam.get(param).get(b), be)));
            }
            fresh.put(param, st);
        }
        freeState();
        state.putAll(fresh);
    }

    private String paramOf(String who, String key, String suffix) {
        String end = "." + suffix;
        if (key.endsWith(end) && byName.containsKey(key.substring(0, key.length() - end.length()))) {
            return key.substring(0, key.length() - end.length());
        }
        throw new IllegalArgumentException(who + ": '" + key + "' belongs to no parameter of this optimizer "
                + "(expected '<param>" + end + "' with one of " + byName.keySet() + ")");
    }

    private Group<C> groupOf(String param) {
        for (Group<C> g : groups) {
            if (g.params().containsKey(param)) {
                return g;
            }
        }
        throw new IllegalStateException("no group holds " + param);
    }

    /** A copy of {@code src} on {@code backend} (through the host when the backends differ). */
    private static Tensor copy(Tensor src, Backend backend) {
        if (src.backend() == backend) {
            Tensor t = Tensor.empty(backend, src.shape());
            backend.copy(src.buffer(), 0, t.buffer(), 0, src.numel());
            return t;
        }
        return Tensor.of(backend, src.toArray(), src.shape());
    }

    private void freeState() {
        for (ParamState st : state.values()) {
            st.buffers.values().forEach(Tensor::close);
        }
        state.clear();
    }

    /** Frees the optimizer's state (not the parameters). */
    @Override
    public void close() {
        freeState();
    }
}
