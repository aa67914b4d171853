package io.gan4j.core.tensor;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.cpu.CpuBackend;
import io.gan4j.core.ops.Ops;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lifetimes: what a scope creates dies with it, unless kept; leaf gradients and parameters live on. */
class MemoryScopeTest {
    /** A backend of its own, so that the byte counts are not disturbed by anything else. */
    private final Backend be = new CpuBackend(1);

    @AfterEach
    void closeBackend() {
        be.close();
    }

    @Test
    void everythingCreatedInAScopeIsFreedAtClose() {
        Tensor param = Tensor.randn(be, new Generator(1), 0f, 1f, 4, 3).requiresGrad(true);
        long start = be.bytesInUse();
        Tensor x;
        Tensor y;
        try (MemoryScope scope = MemoryScope.open()) {
            x = Tensor.randn(be, new Generator(2), 0f, 1f, 5, 3);
            y = Ops.linear(x, param, null).tanh().reshape(-1).slice(2, 9);
            Tensor loss = y.square().mean();
            loss.backward();
            assertTrue(be.bytesInUse() > start);
            assertTrue(scope.size() > 0);
        }
        assertEquals(start + param.grad().numel() * Float.BYTES, be.bytesInUse(),
                "only the parameter's new gradient outlives the step");
        assertTrue(x.isClosed());
        assertTrue(y.isClosed(), "views die with their base");
        assertFalse(param.isClosed());
    }

    @Test
    void repeatedStepsDoNotLeak() {
        Tensor w = Tensor.randn(be, new Generator(1), 0f, 1f, 3, 3).requiresGrad(true);
        long[] after = new long[3];
        for (int step = 0; step < 3; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor x = Tensor.randn(be, new Generator(step), 0f, 1f, 2, 3);
                Ops.linear(x, w, null).square().sum().backward();
            }
            after[step] = be.bytesInUse();
        }
        assertEquals(after[0], after[1]);
        assertEquals(after[1], after[2]);
    }

    @Test
    void keptTensorsSurviveAndMoveToTheEnclosingScope() {
        long start = be.bytesInUse();
        Tensor kept;
        Tensor keptView;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                Tensor a = Tensor.full(be, 3f, 2, 2);
                kept = inner.keep(a.add(1f));
                keptView = inner.keep(Tensor.full(be, 5f, 4, 2).slice(1, 3));
                Tensor.zeros(be, 100);
            }
            assertFalse(kept.isClosed());
            assertFalse(keptView.isClosed(), "keeping a view keeps the tensor it views");
            assertArrayEquals(new float[] {4, 4, 4, 4}, kept.toArray());
            assertArrayEquals(new float[] {5, 5, 5, 5}, keptView.toArray());
        }
        assertTrue(kept.isClosed(), "kept in the inner scope, it belongs to the outer one");
        assertTrue(keptView.isClosed());
        assertEquals(start, be.bytesInUse());
    }

    @Test
    void keptByTheOutermostScopeLivesUntilClosed() {
        long start = be.bytesInUse();
        Tensor t;
        try (MemoryScope scope = MemoryScope.open()) {
            t = scope.keep(Tensor.ones(be, 10));
            Tensor.ones(be, 7);
        }
        assertFalse(t.isClosed());
        assertEquals(start + 10 * Float.BYTES, be.bytesInUse());
        t.close();
        t.close();   // idempotent
        assertEquals(start, be.bytesInUse());
    }

    @Test
    void useAfterFreeIsAClearError() {
        Tensor t;
        Tensor one;
        try (MemoryScope scope = MemoryScope.open()) {
            t = Tensor.ones(be, 2, 3);
            one = Tensor.scalar(be, 1f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
        assertTrue(e.getMessage().contains("freed") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> t.add(1f));
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
        assertThrows(IllegalStateException.class, one::item);
        assertTrue(t.toString().contains("[2, 3]"), "toString of a freed tensor still works: " + t);
        Tensor alive = Tensor.ones(be, 2, 3);
        e = assertThrows(IllegalStateException.class, () -> alive.mul(t));
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void leafGradientSurvivesTheScope() {
        Tensor w = Tensor.full(be, 2f, 3).requiresGrad(true);
        for (int step = 1; step <= 2; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                w.mul(Tensor.full(be, 1.5f, 3)).sum().backward();
            }
            assertNotNull(w.grad());
            assertFalse(w.grad().isClosed());
            // gradients accumulate across steps until zeroGrad
            assertArrayEquals(new float[] {1.5f * step, 1.5f * step, 1.5f * step}, w.grad().toArray());
        }
        long before = be.bytesInUse();
        w.zeroGrad();
        assertEquals(before - 3 * Float.BYTES, be.bytesInUse());
        assertEquals(null, w.grad());
    }

    @Test
    void detachedCreatesOutsideTheScope() {
        Tensor d;
        try (MemoryScope scope = MemoryScope.open()) {
            d = MemoryScope.detached(() -> Tensor.ones(be, 3));
            Tensor inside = Tensor.ones(be, 3);
            assertEquals(1, scope.size());
            assertFalse(inside.isClosed());
        }
        assertFalse(d.isClosed());
        d.close();
    }

    @Test
    void scopesCloseInReverseOrder() {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        inner.close();
        outer.close();
        assertEquals(null, MemoryScope.current(), "both scopes are off the thread's stack");
        assertThrows(IllegalStateException.class, () -> outer.keep(Tensor.ones(be, 1)));
    }

    @Test
    void sizeCountsOnlyWhatTheScopeWillFree() {
        Tensor outside = Tensor.ones(be, 2);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = Tensor.ones(be, 2);
            Tensor.ones(be, 2);
            scope.keep(outside);
            scope.keep(a);
            scope.keep(a);
            assertEquals(1, scope.size());
        }
        outside.close();
    }

    @Test
    void anExceptionInTheBodyStillFreesTheStep() {
        long start = be.bytesInUse();
        Tensor[] made = new Tensor[1];
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (MemoryScope scope = MemoryScope.open()) {
                made[0] = Tensor.ones(be, 64);
                throw new RuntimeException("boom");
            }
        });
        assertEquals("boom", e.getMessage());
        assertTrue(made[0].isClosed());
        assertEquals(start, be.bytesInUse());
        assertEquals(null, MemoryScope.current());
    }

    @Test
    void scopesBelongToTheirThread() throws Exception {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor[] other = new Tensor[1];
            IllegalStateException[] closeError = new IllegalStateException[1];
            Thread t = new Thread(() -> {
                // a worker's tensors are not this thread's temporaries, and it cannot close this scope
                other[0] = Tensor.ones(be, 3);
                closeError[0] = assertThrows(IllegalStateException.class, scope::close);
            });
            t.start();
            t.join();
            assertEquals(0, scope.size());
            assertTrue(closeError[0].getMessage().contains("thread"), closeError[0].getMessage());
            scope.close();
            assertFalse(other[0].isClosed());
            other[0].close();
        }
    }

    /**
     * The lifetime design end to end: a model and its optimizer built inside a scope live on (parameters and
     * state are detached); each training step's temporaries die with the step; after the first step (which
     * creates Adam's moments) the memory in use is the same after every step.
     */
    @Test
    void trainingStepsWithLayersAndAdamReachASteadyState() {
        io.gan4j.core.backend.Backend saved = io.gan4j.core.backend.Device.current();
        io.gan4j.core.backend.Device.use(be);
        try {
            io.gan4j.core.nn.Sequential model;
            io.gan4j.core.optim.Adam adam;
            try (MemoryScope building = MemoryScope.open()) {
                Generator g = new Generator(3);
                model = new io.gan4j.core.nn.Sequential(new io.gan4j.core.nn.Conv2d(1, 4, 3, 2, 1, g),
                        new io.gan4j.core.nn.BatchNorm2d(4), new io.gan4j.core.nn.LeakyReLU(0.2f),
                        new io.gan4j.core.nn.Flatten(), new io.gan4j.core.nn.Linear(4 * 3 * 3, 1, g));
                adam = new io.gan4j.core.optim.Adam(model.parameters(), io.gan4j.core.optim.Adam.Config.defaults());
            }
            long paramBytes = model.stateDict().values().stream().mapToLong(Tensor::numel).sum() * Float.BYTES;
            long[] after = new long[4];
            for (int step = 0; step < after.length; step++) {
                try (MemoryScope scope = MemoryScope.open()) {
                    adam.zeroGrad();
                    Tensor x = Tensor.randn(be, new Generator(10 + step), 0f, 1f, 2, 1, 5, 5);
                    model.forward(x).square().mean().backward();
                    adam.step();
                }
                after[step] = be.bytesInUse();
                for (Tensor p : model.stateDict().values()) {
                    assertFalse(p.isClosed());
                }
            }
            // parameters + buffers, plus per parameter: its gradient and Adam's two moments
            long perParam = model.parameters().stream().mapToLong(Tensor::numel).sum() * Float.BYTES;
            assertEquals(paramBytes + 3 * perParam, after[0]);
            assertEquals(after[0], after[1]);
            assertEquals(after[0], after[3]);
            adam.close();
            model.close();
        } finally {
            io.gan4j.core.backend.Device.use(saved);
        }
    }
}
