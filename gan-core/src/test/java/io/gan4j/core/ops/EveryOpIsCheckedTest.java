package io.gan4j.core.ops;

import io.gan4j.core.autograd.Function;
import io.gan4j.core.autograd.NotDifferentiableTwiceException;
import io.gan4j.core.backend.ConvGeometry;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.gan4j.core.ops.OpsTesting.CHECK;
import static io.gan4j.core.ops.OpsTesting.awayFromZero;
import static io.gan4j.core.ops.OpsTesting.distinct;
import static io.gan4j.core.ops.OpsTesting.randn;
import static io.gan4j.core.ops.OpsTesting.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one place that proves every op of {@code io.gan4j.core.ops} is gradient-checked: the op classes are
 * found on the class path (so a new op without a check fails this test), each case below is checked to
 * first and second order (or must refuse the second with {@link NotDifferentiableTwiceException}), and the
 * tape of each case is walked to record which op classes it really exercised. The per-op test classes
 * check the same ops more thoroughly (broadcasting, every geometry, forward against the definition).
 */
class EveryOpIsCheckedTest {

    /** A small function of some inputs, and whether its second derivative must exist. */
    private record Case(String name, java.util.function.Function<Tensor[], Tensor> f, boolean twice, Tensor... xs) {
    }

    private static List<Case> cases() {
        Tensor a = randn(1, 2, 3);
        Tensor b = randn(2, 3);
        Tensor away = awayFromZero(3, 0.5f, 1f, 2, 3);
        Tensor positive = uniform(4, 0.5f, 2f, 2, 3);
        Tensor img = randn(5, 1, 2, 3, 3);
        Tensor w = randn(6, 0.5f, 2, 2, 2, 2);
        ConvGeometry g = Convolution.geometry(img, w, 1, 1, 0, 0);
        Tensor dy = randn(7, 1, 2, 2, 2);
        return List.of(
                new Case("add", x -> x[0].add(x[1]).square(), true, a, b),
                new Case("sub", x -> x[0].sub(x[1]).square(), true, a, b),
                new Case("mul", x -> x[0].mul(x[1]), true, a, b),
                new Case("div", x -> x[0].div(x[1]), true, a, away),
                new Case("add/mul scalar", x -> x[0].add(0.5f).mul(-1.5f).square(), true, a),
                new Case("pow", x -> x[0].pow(1.5f), true, positive),
                new Case("square", x -> x[0].square(), true, a),
                new Case("sqrt", x -> x[0].sqrt(), true, positive),
                new Case("exp", x -> x[0].exp(), true, a),
                new Case("log", x -> x[0].log(), true, positive),
                new Case("abs", x -> x[0].abs().square(), true, away),
                new Case("tanh", x -> x[0].tanh(), true, a),
                new Case("sigmoid", x -> x[0].sigmoid(), true, a),
                new Case("softplus", x -> x[0].softplus(), true, a),
                new Case("leaky relu", x -> x[0].leakyRelu(0.2f).square(), true, away),
                new Case("prelu", x -> Ops.prelu(x[0], x[1]), true, away, uniform(8, 0.1f, 0.3f, 3)),
                new Case("reshape/slice/narrow", x -> Ops.narrow(x[0].reshape(3, 2).slice(1, 3), 1, 1, 1).tanh(),
                        true, a),
                new Case("concat/permute/expand", x -> Ops.concat(0, x[0], x[1].expand(2, 3)).permute(1, 0).square(),
                        true, a, b),
                new Case("sum/mean/sumTo", x -> Ops.sumTo(x[0], new int[] {1, 3}).square().add(x[0].mean(0).square())
                        .sum(), true, a),
                new Case("max", x -> x[0].max(new int[] {1}, false).square(), true, distinct(9, 0.1f, 2, 3)),
                new Case("matmul", x -> Ops.matmul(x[0], x[1], false, true).tanh(), true, a, randn(10, 4, 3)),
                new Case("conv2d", x -> Ops.conv2d(x[0], x[1], 1, 0).tanh(), true, img, w),
                new Case("conv_transpose2d", x -> Ops.convTranspose2d(x[0], x[1], 2, 1, 1).tanh(), true, img, w),
                new Case("conv2d filter grad", x -> ConvolutionFilterGrad.apply(x[0], x[1], g).tanh(), true, img, dy),
                new Case("upsample", x -> Ops.upsampleNearest(x[0], 2).square(), true, img),
                new Case("upsample grad", x -> UpsampleNearest.UpsampleNearestGrad.apply(x[0], 2).square(), true,
                        randn(11, 1, 2, 4, 2)),
                new Case("pixel shuffle", x -> Ops.pixelUnshuffle(Ops.pixelShuffle(x[0], 2).tanh(), 2), true,
                        randn(12, 1, 4, 2, 3)),
                new Case("dropout", x -> Ops.dropout(x[0], 0.5f, new Generator(3)).square(), true, a),
                new Case("log softmax", x -> LogSoftmax.apply(x[0], 1).mul(x[1]), true, randn(17, 2, 3), randn(16, 2, 3)),
                new Case("batch norm (train)", x -> Ops.batchNorm(x[0], x[1], x[2], null, null, 0.1f, 1e-5f).tanh(),
                        false, randn(13, 3, 2, 2), uniform(14, 0.5f, 1.5f, 2), randn(15, 2)));
    }

    @Test
    void everyOpClassIsExercisedByACheckedCase() throws Exception {
        Set<String> exercised = new TreeSet<>();
        for (Case c : cases()) {
            exercised.addAll(opsOnTape(c));
            CHECK.check(c.name, c.f, c.xs);
            if (c.twice) {
                CHECK.checkSecondOrder(c.name, c.f, c.xs);
            } else {
                NotDifferentiableTwiceException e = assertThrows(NotDifferentiableTwiceException.class,
                        () -> CHECK.checkSecondOrder(c.name, c.f, c.xs), c.name + " must refuse a second derivative");
                assertTrue(e.getMessage().contains("twice"), e.getMessage());
            }
        }
        Set<String> missing = new TreeSet<>(opClasses());
        missing.removeAll(exercised);
        assertEquals(Set.of(), missing, "ops with no gradient check in this table");
    }

    /** The simple names of the op classes on the tape of {@code c}. */
    private static Set<String> opsOnTape(Case c) {
        Tensor[] leaves = new Tensor[c.xs.length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = c.xs[i].detach().requiresGrad(true);
        }
        Set<String> names = new TreeSet<>();
        Set<Function> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Function> todo = new ArrayDeque<>();
        Function root = c.f.apply(leaves).gradFn();
        assertTrue(root != null, c.name + " recorded nothing");
        todo.add(root);
        while (!todo.isEmpty()) {
            Function fn = todo.pop();
            if (!seen.add(fn)) {
                continue;
            }
            names.add(fn.getClass().getName().substring(fn.getClass().getPackageName().length() + 1));
            for (Tensor t : fn.inputs()) {
                if (t != null && t.gradFn() != null) {
                    todo.add(t.gradFn());
                }
            }
        }
        return names;
    }

    /** Every concrete {@link Function} in the ops package, as found in the compiled classes. */
    private static Set<String> opClasses() throws Exception {
        String pkg = Ops.class.getPackageName();
        // the main classes' root, not the class loader's first match (the test classes share the package)
        URL root = Ops.class.getProtectionDomain().getCodeSource().getLocation();
        File dir = new File(new File(root.toURI()), pkg.replace('.', File.separatorChar));
        assertTrue(dir.isDirectory(), "ops classes are expected in a directory, found " + root);
        List<String> found = new ArrayList<>();
        for (File f : dir.listFiles()) {
            String file = f.getName();
            if (file.endsWith(".class")) {
                Class<?> k = Class.forName(pkg + "." + file.substring(0, file.length() - ".class".length()));
                if (Function.class.isAssignableFrom(k) && !Modifier.isAbstract(k.getModifiers())) {
                    found.add(k.getName().substring(pkg.length() + 1));
                }
            }
        }
        assertTrue(found.size() > 25, "found only " + found);
        return new TreeSet<>(found);
    }
}
