package io.gan4j.core.tensor;

import java.util.Arrays;

/** Helpers for shapes ({@code int[]}, row-major): sizes, strides, broadcasting, messages. */
public final class Shape {
    private Shape() {
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static long[] strides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Checks that every size is positive (zero-size tensors are not supported). */
    public static int[] check(String op, int[] shape) {
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(op + ": invalid shape " + str(shape) + " (every size must be >= 1)");
            }
        }
        if (numel(shape) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " has more than 2^31 elements");
        }
        return shape.clone();
    }

    /** The NumPy broadcast of two shapes, or an error naming the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Strides to read a tensor of shape {@code from} as if it had the (broadcast) shape {@code to}. */
    public static long[] broadcastStrides(int[] from, int[] to) {
        long[] own = strides(from);
        long[] s = new long[to.length];
        int shift = to.length - from.length;
        for (int i = 0; i < to.length; i++) {
            int j = i - shift;
            s[i] = j < 0 || from[j] == 1 ? 0 : own[j];
        }
        return s;
    }

    /** Resolves one -1 in a reshape target and checks the element count. */
    public static int[] reshape(int[] from, int[] to) {
        int[] out = to.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: more than one -1 in " + str(to) + " (viewing "
                            + str(from) + ")");
                }
                infer = i;
            } else if (out[i] < 1) {
                throw new IllegalArgumentException("reshape: invalid size " + out[i] + " in " + str(to) + " (viewing "
                        + str(from) + ")");
            } else {
                known *= out[i];
            }
        }
        long n = numel(from);
        if (infer >= 0) {
            if (n % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view " + str(from) + " (" + n + " elements) as "
                        + str(to));
            }
            out[infer] = (int) (n / known);
        }
        if (numel(out) != n) {
            throw new IllegalArgumentException("reshape: cannot view " + str(from) + " (" + n + " elements) as "
                    + str(to) + " (" + numel(out) + " elements)");
        }
        return out;
    }

    /** Normalises an axis of a tensor of this shape that may be negative (counting from the end). */
    public static int axis(String op, int axis, int[] shape) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for a tensor of shape "
                    + str(shape) + " (rank " + shape.length + ")");
        }
        return a;
    }

    /** Normalises an axis that may be negative (counting from the end). */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for a tensor of rank " + rank);
        }
        return a;
    }
}
