package io.gan4j.core.tensor;

import io.gan4j.core.backend.Backend;
import io.gan4j.core.backend.Device;
import io.gan4j.core.ops.Ops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tensor API: creation, views, joining, reordering, broadcasting math, reductions, host copies, errors. */
class TensorTest {

    private static Tensor seq(int... shape) {
        int n = (int) Shape.numel(shape);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    /** Asserts an IllegalArgumentException whose message contains every fragment (the op and the shapes). */
    private static void assertShapeError(Executable body, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, body);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    // ---------------------------------------------------------------- creation

    @Test
    void creation() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(6, z.numel());
        assertEquals(2, z.dim());
        assertArrayEquals(new float[6], z.toArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, Tensor.ones(4).toArray());
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f}, Tensor.full(2.5f, 3, 1).toArray());
        Tensor s = Tensor.scalar(4f);
        assertEquals(0, s.dim());
        assertEquals(4f, s.item());
        Tensor o = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new int[] {3, 2}, o.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, o.toArray());
        assertEquals(3, o.size(0));
        assertEquals(2, o.size(-1));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, Tensor.arange(5).toArray());
        assertArrayEquals(new float[] {1, 1.5f, 2, 2.5f}, Tensor.arange(1, 3, 0.5f).toArray());
        assertArrayEquals(new float[] {5, 3, 1}, Tensor.arange(5, 0, -2).toArray());
        assertArrayEquals(new int[] {3, 4}, Tensor.zeros(3, 4).onesLike().shape());
    }

    @Test
    void arangeStaysBelowItsEnd() {
        // float steps must not yield an element at or past the end
        for (float step : new float[] {0.1f, 0.3f, 0.7f, 1f / 3, 0.05f}) {
            for (float end : new float[] {0.3f, 0.9f, 1f, 2.1f, 3f}) {
                float[] v = Tensor.arange(0, end, step).toArray();
                assertTrue(v[v.length - 1] < end, "arange(0, " + end + ", " + step + ") ends at " + v[v.length - 1]);
                assertTrue(v[v.length - 1] + step >= end * (1 - 1e-6f),
                        "arange(0, " + end + ", " + step + ") stops early at " + v[v.length - 1]);
            }
        }
    }

    @Test
    void randomCreation() {
        Tensor a = Tensor.randn(new Generator(5), 2, 3);
        Tensor b = Tensor.randn(new Generator(5), 2, 3);
        assertArrayEquals(a.toArray(), b.toArray(), "same seed, same numbers");
        Generator g = new Generator(5);
        Tensor first = Tensor.randn(g, 2, 3);
        Tensor second = Tensor.randn(g, 2, 3);
        assertEquals(12, g.offset());
        assertFalse(java.util.Arrays.equals(first.toArray(), second.toArray()), "a generator moves on");
        // the stream is one sequence: two draws of 6 equal one draw of 12
        float[] both = Tensor.randn(new Generator(5), 12).toArray();
        assertArrayEquals(second.toArray(), java.util.Arrays.copyOfRange(both, 6, 12));
        float[] u = Tensor.rand(Device.current(), new Generator(6), -2f, 3f, 1000).toArray();
        for (float v : u) {
            assertTrue(v >= -2f && v < 3f, "uniform in [-2, 3): " + v);
        }
        float[] n = Tensor.randn(Device.current(), new Generator(7), 10f, 0.001f, 100).toArray();
        for (float v : n) {
            assertEquals(10f, v, 0.01f);
        }
        float[] bern = Tensor.bernoulli(Device.current(), new Generator(8), 0.5f, 100).toArray();
        for (float v : bern) {
            assertTrue(v == 0f || v == 1f);
        }
        assertNotEquals(new Generator(1).fork(1).seed(), new Generator(1).fork(2).seed());
        assertEquals(new Generator(1).fork(3).seed(), new Generator(1).fork(3).seed());
    }

    // ---------------------------------------------------------------- views

    @Test
    void reshapeAndViewShareMemory() {
        Tensor x = seq(2, 3, 4);
        Tensor v = x.view(-1, 4);
        assertArrayEquals(new int[] {6, 4}, v.shape());
        assertArrayEquals(x.toArray(), v.toArray());
        assertArrayEquals(new int[] {24}, x.reshape(-1).shape());
        assertArrayEquals(new int[] {2, 12}, x.reshape(2, -1).shape());
        assertArrayEquals(new int[] {1, 24, 1}, x.reshape(1, -1, 1).shape());
        x.backend().fill(v.buffer(), 7f);
        assertEquals(7f, x.toArray()[13], "a view writes through to its base");
    }

    @Test
    void sliceAlongTheBatchSharesMemory() {
        Tensor x = seq(4, 2, 3);
        Tensor s = x.slice(1, 3);
        assertArrayEquals(new int[] {2, 2, 3}, s.shape());
        assertArrayEquals(java.util.Arrays.copyOfRange(x.toArray(), 6, 18), s.toArray());
        assertSame(x, s.base());
        x.backend().fill(s.buffer(), -1f);
        float[] after = x.toArray();
        assertEquals(5f, after[5]);
        assertEquals(-1f, after[6]);
        assertEquals(-1f, after[17]);
        assertEquals(18f, after[18]);
        x.close();
        assertTrue(s.isClosed(), "a slice dies with its base");
    }

    // ---------------------------------------------------------------- joining and reordering

    @Test
    void concatAndStack() {
        Tensor a = seq(2, 2);
        Tensor b = seq(2, 1).add(10f);
        assertArrayEquals(new float[] {0, 1, 10, 2, 3, 11}, Ops.concat(1, a, b).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, Ops.concat(0, a, a).toArray());
        Tensor st = Ops.stack(0, a, a.mul(2f));
        assertArrayEquals(new int[] {2, 2, 2}, st.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 2, 4, 6}, st.toArray());
        Tensor last = Ops.stack(-1, a, a.mul(2f));
        assertArrayEquals(new int[] {2, 2, 2}, last.shape());
        assertArrayEquals(new float[] {0, 0, 1, 2, 2, 4, 3, 6}, last.toArray());
        assertArrayEquals(new float[] {2, 3, 4, 7, 8, 9}, Ops.narrow(seq(2, 5), 1, 2, 3).toArray());
    }

    @Test
    void transposeAndPermute() {
        Tensor x = seq(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        float[] xv = x.toArray();
        float[] pv = p.toArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(xv[(i * 3 + j) * 4 + k], pv[(k * 2 + i) * 3 + j]);
                }
            }
        }
        Tensor t = seq(2, 3).transpose(0, 1);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toArray());
        assertArrayEquals(xv, x.permute(2, 0, 1).permute(1, 2, 0).toArray());
        assertArrayEquals(new int[] {2, 4, 3}, x.transpose(-1, -2).shape());
    }

    // ---------------------------------------------------------------- math

    @Test
    void broadcastingMath() {
        Tensor a = seq(2, 3);
        Tensor row = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
        assertArrayEquals(new float[] {10, 21, 32, 13, 24, 35}, a.add(row).toArray());
        assertArrayEquals(new float[] {0, 1, 2, 6, 8, 10}, a.mul(col).toArray());
        assertArrayEquals(new float[] {-10, -19, -28, -7, -16, -25}, a.sub(row).toArray());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, a.div(Tensor.scalar(2f)).toArray());
        Tensor outer = col.mul(row);
        assertArrayEquals(new int[] {2, 3}, outer.shape());
        assertArrayEquals(new float[] {10, 20, 30, 20, 40, 60}, outer.toArray());
        // [C,1,1] against [N,C,H,W]
        Tensor img = Tensor.ones(2, 3, 2, 2);
        Tensor bias = Tensor.of(new float[] {1, 2, 3}, 3, 1, 1);
        float[] y = img.add(bias).toArray();
        for (int i = 0; i < y.length; i++) {
            assertEquals(1 + 1 + (i / 4) % 3, y[i]);
        }
        assertArrayEquals(new float[] {1, 4, 9}, Tensor.of(new float[] {1, 2, 3}, 3).square().toArray());
        assertArrayEquals(new float[] {2, 3}, Tensor.of(new float[] {4, 9}, 2).sqrt().toArray());
        assertArrayEquals(new float[] {-1, 2}, Tensor.of(new float[] {1, -2}, 2).neg().toArray());
        assertArrayEquals(new float[] {3, 5}, Tensor.of(new float[] {1, 2}, 2).mul(2f).add(1f).toArray());
        assertArrayEquals(new float[] {8, 27}, Tensor.of(new float[] {2, 3}, 2).pow(3f).toArray(), 1e-5f);
    }

    @Test
    void reductions() {
        Tensor x = seq(2, 3, 4);
        float[] xv = x.toArray();
        assertEquals(276f, x.sum().item());
        assertEquals(11.5f, x.mean().item());
        float[] s1 = x.sum(1).toArray();
        float[] m02 = x.mean(new int[] {0, 2}, true).toArray();
        float[] mx = x.max(new int[] {0, 1}, false).toArray();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                float s = 0;
                for (int j = 0; j < 3; j++) {
                    s += xv[(i * 3 + j) * 4 + k];
                }
                assertEquals(s, s1[i * 4 + k]);
            }
        }
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 4; k++) {
                    s += xv[(i * 3 + j) * 4 + k];
                }
            }
            assertEquals(s / 8, m02[j], 1e-6);
        }
        assertArrayEquals(new float[] {20, 21, 22, 23}, mx);
        Tensor neg = Tensor.of(new float[] {-5, -3, -4, -7}, 2, 2);
        assertArrayEquals(new float[] {-3, -4}, neg.max(1).toArray());
        assertArrayEquals(new int[] {2, 1}, neg.max(new int[] {1}, true).shape());
        assertArrayEquals(new float[] {-3}, neg.max(new int[] {0, 1}, false).reshape(1).toArray());
        assertEquals(-3f, neg.max().item());
        // a long row: pairwise summation must still be exact on integers
        assertEquals(5000f * 9999f, Tensor.arange(10000).sum().item());
    }

    @Test
    void itemAndToArray() {
        assertEquals(3f, Tensor.of(new float[] {3}, 1, 1).item());
        float[] a = Tensor.of(new float[] {1, 2}, 2).toArray();
        a[0] = 99;
        assertNotEquals(99f, Tensor.of(new float[] {1, 2}, 2).toArray()[0]);
        float[] data = {1, 2, 3};
        Tensor t = Tensor.of(data, 3);
        data[0] = 42;
        assertEquals(1f, t.toArray()[0], "of() copies");
        assertTrue(t.toString().contains("[3]") && t.toString().contains("1.0"), t.toString());
    }

    @Test
    void explicitBackend() {
        Backend be = Device.cpu();
        Tensor t = Tensor.zeros(be, 2);
        assertSame(be, t.backend());
        assertSame(be, t.add(1f).backend());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void shapeErrorsNameTheOpAndTheShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4, 5);
        assertShapeError(() -> a.add(b), "add", "[2, 3]", "[4, 5]");
        assertShapeError(() -> a.sub(b), "sub", "[2, 3]", "[4, 5]");
        assertShapeError(() -> a.mul(b), "mul", "[2, 3]", "[4, 5]");
        assertShapeError(() -> a.div(b), "div", "[2, 3]", "[4, 5]");
        assertShapeError(() -> a.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        assertShapeError(() -> a.reshape(-1, 4), "reshape", "[2, 3]", "[-1, 4]");
        assertShapeError(() -> a.reshape(-1, -1), "reshape", "[2, 3]", "[-1, -1]");
        assertShapeError(() -> a.reshape(0, 6), "reshape", "[2, 3]", "[0, 6]");
        assertShapeError(() -> a.slice(1, 3), "slice", "[2, 3]");
        assertShapeError(() -> a.slice(2, 1), "slice", "[2, 3]");
        assertShapeError(() -> Ops.narrow(a, 1, 2, 2), "narrow", "[2, 3]");
        assertShapeError(() -> Ops.narrow(a, 2, 0, 1), "narrow", "[2, 3]");
        assertShapeError(() -> Ops.concat(0, a, b), "concat", "[2, 3]", "[4, 5]");
        assertShapeError(() -> Ops.concat(0, a, Tensor.zeros(3)), "concat", "[2, 3]", "[3]");
        assertShapeError(() -> Ops.concat(2, a, a), "concat", "[2, 3]");
        assertShapeError(() -> Ops.stack(0, a, b), "stack", "[2, 3]", "[4, 5]");
        assertShapeError(() -> a.permute(0), "permute", "[2, 3]");
        assertShapeError(() -> a.permute(1, 1), "permute", "[2, 3]");
        assertShapeError(() -> a.permute(0, 2), "permute", "[2, 3]");
        assertShapeError(() -> a.transpose(0, 2), "transpose", "[2, 3]");
        assertShapeError(() -> a.expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        assertShapeError(() -> a.expand(3), "expand", "[2, 3]", "[3]");
        assertShapeError(() -> a.sum(2), "sum", "[2, 3]");
        assertShapeError(() -> a.mean(-3), "mean", "[2, 3]");
        assertShapeError(() -> a.max(5), "max", "[2, 3]");
        assertShapeError(() -> Ops.sumTo(a, new int[] {2}), "sum_to", "[2, 3]", "[2]");
        assertShapeError(() -> Ops.sumTo(a, new int[] {1, 2, 3}), "sum_to", "[2, 3]", "[1, 2, 3]");
        assertShapeError(() -> a.matmul(b), "matmul", "[2, 3]", "[4, 5]");
        assertShapeError(() -> Ops.matmul(a, Tensor.zeros(2, 3, 3), false, false), "matmul", "[2, 3]", "[2, 3, 3]");
        assertShapeError(() -> Ops.linear(a, b, null), "linear", "[2, 3]", "[4, 5]");
        assertShapeError(() -> Ops.linear(a, Tensor.zeros(4, 3), Tensor.zeros(5)), "linear", "[2, 3]", "[4, 3]", "[5]");
        Tensor img = Tensor.zeros(1, 3, 5, 5);
        assertShapeError(() -> Ops.conv2d(img, Tensor.zeros(2, 4, 3, 3), 1, 0), "conv2d", "[1, 3, 5, 5]", "[2, 4, 3, 3]");
        assertShapeError(() -> Ops.conv2d(img, Tensor.zeros(2, 3, 7, 7), 1, 0), "conv2d", "[1, 3, 5, 5]", "[2, 3, 7, 7]");
        assertShapeError(() -> Ops.conv2d(a, Tensor.zeros(2, 3, 1, 1), 1, 0), "conv2d", "[2, 3]");
        assertShapeError(() -> Ops.convTranspose2d(img, Tensor.zeros(2, 3, 3, 3), 1, 0, 0), "conv_transpose2d",
                "[1, 3, 5, 5]", "[2, 3, 3, 3]");
        assertShapeError(() -> Ops.convTranspose2d(img, Tensor.zeros(3, 2, 3, 3), 2, 0, 2), "conv_transpose2d",
                "[1, 3, 5, 5]", "[3, 2, 3, 3]");
        assertShapeError(() -> Ops.batchNorm(img, Tensor.ones(2), Tensor.zeros(2), null, null, 0.1f, 1e-5f),
                "batch_norm", "[1, 3, 5, 5]", "[2]");
        assertShapeError(() -> Ops.batchNorm(Tensor.zeros(1, 3), Tensor.ones(3), Tensor.zeros(3), null, null, 0.1f,
                1e-5f), "batch_norm", "[1, 3]");
        assertShapeError(() -> Ops.batchNormInference(img, Tensor.ones(3), Tensor.zeros(3), Tensor.zeros(2),
                Tensor.ones(3), 1e-5f), "batch_norm", "[1, 3, 5, 5]", "[2]");
        assertShapeError(() -> Ops.prelu(img, Tensor.ones(2)), "prelu", "[1, 3, 5, 5]", "[2]");
        assertShapeError(() -> Ops.pixelShuffle(img, 2), "pixel_shuffle", "[1, 3, 5, 5]");
        assertShapeError(() -> Ops.pixelUnshuffle(img, 2), "pixel_unshuffle", "[1, 3, 5, 5]");
        assertShapeError(() -> Ops.upsampleNearest(a, 2), "upsample_nearest", "[2, 3]");
        assertShapeError(() -> a.item(), "item", "[2, 3]");
        assertShapeError(() -> a.size(2), "size", "[2, 3]");
        assertShapeError(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "of", "[2, 2]");
        assertShapeError(() -> Tensor.zeros(2, 0), "zeros", "[2, 0]");
        assertShapeError(() -> Tensor.ones(-1), "ones", "[-1]");
        assertShapeError(() -> Tensor.full(1f, 3, 0), "full", "[3, 0]");
        assertShapeError(() -> Tensor.randn(new Generator(1), 0), "randn", "[0]");
        Tensor leaf = Tensor.zeros(2, 3);
        assertShapeError(() -> leaf.setGrad(Tensor.zeros(3, 2)), "setGrad", "[3, 2]", "[2, 3]");
        Tensor y = Tensor.zeros(2, 3).requiresGrad(true).mul(2f);
        assertShapeError(() -> y.backward(), "backward", "[2, 3]");
        assertShapeError(() -> y.backward(Tensor.zeros(3)), "backward", "[3]", "[2, 3]");
    }

    /** Errors the list above leaves out: ranks, batch sizes, factors, axes of new dimensions, gradients. */
    @Test
    void moreShapeErrorsNameTheOpAndTheShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor img = Tensor.zeros(1, 4, 6, 6);
        assertShapeError(() -> Tensor.zeros(2, 3, 4).add(Tensor.zeros(3, 1, 5)), "add", "[2, 3, 4]", "[3, 1, 5]");
        assertShapeError(() -> Ops.addChannelBias(img, Tensor.zeros(3)), "bias", "[1, 4, 6, 6]", "[3]");
        assertShapeError(() -> Ops.stack(3, a, a), "stack", "[2, 3]");
        assertShapeError(() -> Ops.stack(0, a, Tensor.zeros(3, 2)), "stack", "[2, 3]", "[3, 2]");
        assertShapeError(() -> Ops.matmul(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5), false, false), "matmul",
                "[2, 3, 4]", "[3, 4, 5]");
        assertShapeError(() -> Ops.matmul(Tensor.zeros(3, 4), Tensor.zeros(3, 5), true, true), "matmul", "[3, 4]",
                "[3, 5]");
        assertShapeError(() -> Ops.matmul(Tensor.zeros(4), Tensor.zeros(4), false, false), "matmul", "[4]");
        assertShapeError(() -> Ops.linear(Tensor.zeros(2, 3, 4), Tensor.zeros(5, 4), null), "linear", "[2, 3, 4]");
        assertShapeError(() -> Ops.conv2d(img, Tensor.zeros(2, 4, 3, 3), 0, 0), "conv2d", "[1, 4, 6, 6]");
        assertShapeError(() -> Ops.conv2d(img, Tensor.zeros(2, 4, 3, 3), 1, -1), "conv2d", "[1, 4, 6, 6]");
        assertShapeError(() -> Ops.convTranspose2d(img, Tensor.zeros(4, 2, 3, 3), 1, 0, 1), "conv_transpose2d",
                "[1, 4, 6, 6]");
        assertShapeError(() -> Ops.upsampleNearest(img, 0), "upsample_nearest", "[1, 4, 6, 6]");
        assertShapeError(() -> Ops.pixelShuffle(img, 0), "pixel_shuffle", "[1, 4, 6, 6]");
        assertShapeError(() -> Ops.pixelShuffle(Tensor.zeros(4, 6, 6), 2), "pixel_shuffle", "[4, 6, 6]");
        assertShapeError(() -> Ops.narrow(a, 1, 1, 0), "narrow", "[2, 3]");
        assertShapeError(() -> Ops.narrow(a, 1, -1, 2), "narrow", "[2, 3]");
        assertShapeError(() -> Ops.pad(a, 1, -1, 0), "pad", "[2, 3]");
        assertShapeError(() -> Tensor.scalar(1f).size(0), "size", "[]");
        assertShapeError(() -> Ops.batchNorm(img, Tensor.ones(4), Tensor.zeros(4), Tensor.zeros(3), Tensor.ones(4),
                0.1f, 1e-5f), "batch_norm", "[1, 4, 6, 6]", "[3]");
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor y = x.mul(2f);
        assertShapeError(() -> io.gan4j.core.autograd.Autograd.grad(new Tensor[] {y}, new Tensor[] {x},
                new Tensor[] {Tensor.zeros(3, 2)}, false), "grad", "[3, 2]", "[2, 3]");
    }

    @Test
    void otherArgumentErrors() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.bernoulli(Device.current(), new Generator(1), 1.5f, 2));
        assertThrows(IllegalArgumentException.class, () -> Ops.dropout(Tensor.zeros(2), 1f, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> new Generator(1, -1));
        Tensor noGrad = Tensor.zeros(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, noGrad::backward);
        assertTrue(e.getMessage().contains("backward"), e.getMessage());
    }
}
