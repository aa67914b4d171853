package io.gan4j.core.autograd;

import io.gan4j.core.backend.UnaryOp;
import io.gan4j.core.ops.Kernels;
import io.gan4j.core.tensor.Generator;
import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself must fail on wrong gradients, or every other gradient test proves nothing. */
class GradCheckTest {

    /** x^2 whose backward forgets the factor 2. */
    static final class WrongSquare extends Function {
        static Tensor apply(Tensor x) {
            return record(new WrongSquare(), Kernels.unary(UnaryOp.SQUARE, 0f, x), x);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(input(0))};
        }
    }

    /** x^2 whose backward is right once but computed with a kernel, so it is wrongly constant in x. */
    static final class OnceRightSquare extends Function {
        static Tensor apply(Tensor x) {
            return record(new OnceRightSquare(), Kernels.unary(UnaryOp.SQUARE, 0f, x), x);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {g.mul(Kernels.unary(UnaryOp.MUL_SCALAR, 2f, input(0)))};
        }
    }

    /** x * y whose gradient for y is wrong in a single element only. */
    static final class OneWrongElement extends Function {
        static Tensor apply(Tensor x, Tensor y) {
            return record(new OneWrongElement(), x.detach().mul(y.detach()), x, y);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            float[] bump = new float[(int) g.numel()];
            bump[bump.length - 1] = 0.05f;
            return new Tensor[] {g.mul(input(1)), g.mul(input(0)).add(Tensor.of(bump, g.shape()))};
        }
    }

    private final Tensor x = Tensor.randn(new Generator(3), 3, 4);

    @Test
    void correctGradientsPass() {
        GradCheck.float32().check("square", in -> in[0].square(), x);
        GradCheck.float32().checkSecondOrder("square", in -> in[0].square(), x);
        GradCheck.float32().checkSecondOrder("once right square", in -> OnceRightSquare.apply(in[0]).mul(0f), x);
    }

    @Test
    void wrongFirstDerivativeFails() {
        GradCheck.Mismatch m = assertThrows(GradCheck.Mismatch.class,
                () -> GradCheck.float32().check("wrong square", in -> WrongSquare.apply(in[0]), x));
        assertTrue(m.getMessage().contains("wrong square") && m.getMessage().contains("analytic"), m.getMessage());
    }

    @Test
    void wrongSecondDerivativeFails() {
        GradCheck.float32().check("once right square", in -> OnceRightSquare.apply(in[0]), x);
        GradCheck.Mismatch m = assertThrows(GradCheck.Mismatch.class,
                () -> GradCheck.float32().checkSecondOrder("once right square", in -> OnceRightSquare.apply(in[0]), x));
        assertTrue(m.getMessage().contains("second order"), m.getMessage());
    }

    @Test
    void aSmallErrorInOneElementOfTheSecondInputFails() {
        Tensor y = Tensor.randn(new Generator(4), 3, 4);
        assertThrows(GradCheck.Mismatch.class,
                () -> GradCheck.float32().check("one wrong", in -> OneWrongElement.apply(in[0], in[1]), x, y));
    }

    @Test
    void aNanGradientFails() {
        Tensor positive = Tensor.rand(new Generator(5), 4).add(1f);
        // sqrt'(x) at x = 0 is infinite; the check must not let a NaN or infinity pass as "within tolerance"
        assertThrows(GradCheck.Mismatch.class,
                () -> GradCheck.float32().check("nan", in -> in[0].sub(in[0].detach()).sqrt(), positive));
    }
}
