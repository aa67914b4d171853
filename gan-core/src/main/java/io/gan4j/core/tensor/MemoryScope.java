package io.gan4j.core.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The lifetime of temporaries. Every tensor created on a thread while a scope is open belongs to the
 * innermost scope and is freed when that scope closes, unless it was {@link #keep kept}. Parameters and
 * optimizer state are created outside any scope (or {@link #detached}) and live until closed.
 *
 * <pre>{@code
 * try (MemoryScope step = MemoryScope.open()) {
 *     Tensor loss = model.forward(x).mean();
 *     loss.backward();
 *     optimizer.step();
 *     lastLoss = loss.item();
 * }   // every temporary of the step is freed here
 * }</pre>
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<MemoryScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private final MemoryScope parent;
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    /** Opens a scope nested in the current one (if any) on this thread. */
    public static MemoryScope open() {
        ArrayDeque<MemoryScope> stack = STACK.get();
        MemoryScope s = new MemoryScope(stack.peek());
        stack.push(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    static MemoryScope current() {
        return STACK.get().peek();
    }

    /** Runs {@code body} with no scope open: what it creates lives until closed explicitly. */
    public static <T> T detached(java.util.function.Supplier<T> body) {
        ArrayDeque<MemoryScope> stack = STACK.get();
        ArrayDeque<MemoryScope> saved = new ArrayDeque<>(stack);
        stack.clear();
        try {
            return body.get();
        } finally {
            stack.clear();
            stack.addAll(saved);
        }
    }

    static void register(Tensor t) {
        MemoryScope s = current();
        if (s != null) {
            s.owned.add(t);
        }
    }

    /**
     * Lets {@code t} (and the tensor it views) outlive this scope: it moves to the enclosing scope, or to
     * no scope at all when this is the outermost one. Returns {@code t}.
     */
    public Tensor keep(Tensor t) {
        if (closed) {
            throw new IllegalStateException("keep: scope already closed");
        }
        for (Tensor x = t; x != null; x = x.base()) {
            kept.add(x);
        }
        return t;
    }

    /** Number of tensors this scope will free. */
    public int size() {
        int n = 0;
        for (Tensor t : owned) {
            if (!kept.contains(t)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        ArrayDeque<MemoryScope> stack = STACK.get();
        if (stack.peek() != this) {
            // stays open (and on the stack), so that closing the inner scopes first and then this one still works
            throw new IllegalStateException("memory scopes must be closed in the reverse order of opening"
                    + (stack.contains(this) ? "" : " (and on the thread that opened them)"));
        }
        closed = true;
        stack.pop();
        for (Tensor t : owned) {
            if (kept.contains(t)) {
                if (parent != null) {
                    parent.owned.add(t);
                }
            } else {
                t.close();
            }
        }
        owned.clear();
    }
}
