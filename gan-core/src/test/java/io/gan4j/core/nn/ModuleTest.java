package io.gan4j.core.nn;

import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.MemoryScope;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    /** Like a PyTorch model that keeps its layers in {@code self.main = nn.Sequential(...)}. */
    static final class Wrapped extends Module {
        final Sequential main;

        Wrapped(Sequential main) {
            this.main = registerModule("main", main);
        }

        @Override
        public Tensor forward(Tensor x) {
            return main.forward(x);
        }
    }

    @Test
    void namesAndOrderMatchPyTorch() {
        Generator g = new Generator(1);
        Sequential s = new Sequential(new Linear(100, 12544, false, g), new BatchNorm1d(12544));
        // PyTorch: 0.weight, 1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked (omitted)
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var"),
                new ArrayList<>(s.stateDict().keySet()));
        assertEquals(List.of("0.weight", "1.weight", "1.bias"), new ArrayList<>(s.namedParameters().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var"), new ArrayList<>(s.namedBuffers().keySet()));
        assertArrayEquals(new int[] {12544, 100}, s.stateDict().get("0.weight").shape());
        assertEquals(100L * 12544 + 2 * 12544, s.parameterCount());
        for (Tensor p : s.parameters()) {
            assertTrue(p.requiresGrad() && p.isLeaf());
        }
        for (Tensor b : s.namedBuffers().values()) {
            assertFalse(b.requiresGrad());
        }
        s.close();
    }

    @Test
    void nestedNamesLikeTheDcganExample() {
        Generator g = new Generator(2);
        Wrapped m = new Wrapped(new Sequential(
                new ConvTranspose2d(8, 4, 4, 1, 0, 0, false, g), new BatchNorm2d(4), new ReLU(),
                new ConvTranspose2d(4, 3, 4, 2, 1, 0, false, g), new Tanh()));
        assertEquals(List.of("main.0.weight", "main.1.weight", "main.1.bias", "main.1.running_mean",
                "main.1.running_var", "main.3.weight"), new ArrayList<>(m.stateDict().keySet()));
        assertArrayEquals(new int[] {8, 4, 4, 4}, m.stateDict().get("main.0.weight").shape());
        assertEquals(7, m.modules().size());     // Wrapped, Sequential and its 5 layers
        m.close();
    }

    @Test
    void reprLooksLikePyTorch() {
        Generator g = new Generator(3);
        Sequential s = new Sequential(new Conv2d(1, 64, 5, 2, 2, g), new LeakyReLU(0.2f),
                new Linear(6272, 1, g), new BatchNorm1d(16), new ConvTranspose2d(64, 1, 5, 2, 2, 1, false, g));
        assertEquals("Sequential(\n"
                + "  (0): Conv2d(1, 64, kernel_size=(5, 5), stride=(2, 2), padding=(2, 2))\n"
                + "  (1): LeakyReLU(negative_slope=0.2)\n"
                + "  (2): Linear(in_features=6272, out_features=1, bias=True)\n"
                + "  (3): BatchNorm1d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
                + "  (4): ConvTranspose2d(64, 1, kernel_size=(5, 5), stride=(2, 2), padding=(2, 2), "
                + "output_padding=(1, 1), bias=False)\n"
                + ")", s.toString());
        assertEquals("Wrapped(\n  (main): Sequential(\n    (0): ReLU()\n  )\n)",
                new Wrapped(new Sequential(new ReLU())).toString());
        s.close();
    }

    @Test
    void trainAndEvalAreRecursive() {
        Wrapped m = new Wrapped(new Sequential(new BatchNorm1d(3), new Sequential(new Dropout(0.5f, new Generator(1)))));
        assertTrue(m.isTraining());
        m.eval();
        for (Module sub : m.modules()) {
            assertFalse(sub.isTraining(), sub.typeName());
        }
        m.train();
        for (Module sub : m.modules()) {
            assertTrue(sub.isTraining(), sub.typeName());
        }
    }

    @Test
    void zeroGradAndClose() {
        Linear l = new Linear(3, 2, new Generator(4));
        l.forward(Tensor.ones(1, 3)).sum().backward();
        assertNotNull(l.weight().grad());
        assertNotNull(l.bias().grad());
        l.zeroGrad();
        assertNull(l.weight().grad());
        l.close();
        assertTrue(l.weight().isClosed() && l.bias().isClosed());
    }

    @Test
    void parametersMadeInsideAScopeOutliveIt() {
        Linear l;
        BatchNorm1d bn;
        try (MemoryScope scope = MemoryScope.open()) {
            l = new Linear(3, 2, new Generator(5));
            bn = new BatchNorm1d(2);
            l.forward(Tensor.ones(2, 3));
        }
        assertFalse(l.weight().isClosed());
        assertFalse(bn.runningVar().isClosed());
        assertEquals(2, l.forward(Tensor.ones(1, 3)).size(1));
    }

    @Test
    void registrationRejectsBadOrDuplicateNames() {
        class Bad extends Module {
            Bad(String first, String second) {
                registerParameter(first, Tensor.zeros(1));
                registerBuffer(second, Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new Bad("w", "w"));
        assertTrue(dup.getMessage().contains("'w' is already registered"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("", "c"));
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(4, 4, new Generator(6));
        Sequential s = new Sequential(shared, new ReLU(), shared);
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(s.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), new ArrayList<>(s.stateDict().keySet()));
        assertEquals(20, s.parameterCount());
    }

    // ---------------------------------------------------------------- loadStateDict

    private static Sequential model(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(3, 4, g), new BatchNorm1d(4), new Linear(4, 2, false, g));
    }

    @Test
    void loadStateDictCopiesValuesInPlace() {
        Sequential a = model(1);
        a.stateDict().get("1.running_mean").backend().fill(a.stateDict().get("1.running_mean").buffer(), 0.5f);
        Sequential b = model(2);
        Map<String, Tensor> before = b.stateDict();
        b.loadStateDict(NnTesting.copyOfState(a));
        Map<String, Tensor> after = b.stateDict();
        for (String k : a.stateDict().keySet()) {
            assertSame(before.get(k), after.get(k), "loading replaces values, not tensors: " + k);
            assertArrayEquals(a.stateDict().get(k).toArray(), after.get(k).toArray(), k);
        }
        Tensor x = Tensor.randn(new Generator(9), 5, 3);
        a.eval();
        b.eval();
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray());
    }

    @Test
    void loadStateDictIgnoresPyTorchBatchCounters() {
        Sequential b = model(2);
        Map<String, Tensor> state = NnTesting.copyOfState(model(1));
        state.put("1.num_batches_tracked", Tensor.scalar(7));
        b.loadStateDict(state);
    }

    @Test
    void missingKeyIsNamedAndNothingIsLoaded() {
        Sequential b = model(2);
        Map<String, Tensor> original = NnTesting.copyOfState(b);
        Map<String, Tensor> state = NnTesting.copyOfState(model(1));
        state.remove("1.running_var");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing key(s): [1.running_var]"), e.getMessage());
        assertUnchanged(original, b);
    }

    @Test
    void unexpectedKeyIsNamedAndNothingIsLoaded() {
        Sequential b = model(2);
        Map<String, Tensor> original = NnTesting.copyOfState(b);
        Map<String, Tensor> state = NnTesting.copyOfState(model(1));
        state.put("2.bias", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state));
        assertTrue(e.getMessage().contains("unexpected key(s): [2.bias]"), e.getMessage());
        assertUnchanged(original, b);
    }

    @Test
    void wrongShapeIsNamedWithBothShapesAndNothingIsLoaded() {
        Sequential b = model(2);
        Map<String, Tensor> original = NnTesting.copyOfState(b);
        Map<String, Tensor> state = NnTesting.copyOfState(model(1));
        state.put("2.weight", Tensor.zeros(2, 5));       // a later key: the earlier ones must stay untouched too
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(state));
        assertTrue(e.getMessage().contains("shape mismatch for 2.weight: expected [2, 4], got [2, 5]"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was loaded"), e.getMessage());
        assertUnchanged(original, b);
    }

    private static void assertUnchanged(Map<String, Tensor> original, Module m) {
        m.stateDict().forEach((k, t) -> assertArrayEquals(original.get(k).toArray(), t.toArray(), k));
    }

    @Test
    void setParameterSwapsTheTensorForwardUses() {
        Linear l = new Linear(2, 1, false, new Generator(3));
        Tensor old = l.setParameter("weight", Tensor.of(new float[] {2, 3}, 1, 2));
        assertEquals(8f, l.forward(Tensor.of(new float[] {1, 2}, 1, 2)).item());
        assertThrows(IllegalArgumentException.class, () -> l.setParameter("weight", Tensor.zeros(2, 1)));
        assertThrows(IllegalArgumentException.class, () -> l.setParameter("bias", Tensor.zeros(1)));
        l.setParameter("weight", old);
        assertSame(old, l.weight());
    }

    @Test
    void layerGradientCheckSeesParameters() {
        // a layer that hides its weight from autograd must fail the check: guards the test helper itself
        class Broken extends Module {
            Broken() {
                registerParameter("weight", Tensor.ones(3));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(parameter("weight").detach());
            }
        }
        assertThrows(io.gan4j.core.autograd.GradCheck.Mismatch.class,
                () -> NnTesting.checkGradients("broken", new Broken(), Tensor.ones(2, 3)));
    }
}
