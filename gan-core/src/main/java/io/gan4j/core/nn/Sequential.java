package io.gan4j.core.nn;

import io.gan4j.core.tensor.Tensor;

/** Modules applied one after the other, named {@code "0"}, {@code "1"}, ... (PyTorch's nn.Sequential). */
public final class Sequential extends Module {
    private int size;

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module under the next index. Returns this. */
    public Sequential add(Module module) {
        registerModule(Integer.toString(size++), module);
        return this;
    }

    public int size() {
        return size;
    }

    /** The module at {@code index}. */
    public Module get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " outside [0, " + size + ")");
        }
        return namedChildren().get(Integer.toString(index));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : namedChildren().values()) {
            y = m.forward(y);
        }
        return y;
    }
}
