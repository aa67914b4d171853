package io.gan4j.core.io;

import java.nio.ByteBuffer;

/** The safetensors element types GAN4J reads (converting to float32) and writes (F32 only). */
enum DType {
    F32(4) {
        @Override
        float read(ByteBuffer b) {
            return b.getFloat();
        }
    },
    F64(8) {
        @Override
        float read(ByteBuffer b) {
            return (float) b.getDouble();
        }
    },
    F16(2) {
        @Override
        float read(ByteBuffer b) {
            return halfToFloat(b.getShort());
        }
    },
    BF16(2) {
        @Override
        float read(ByteBuffer b) {
            return Float.intBitsToFloat((b.getShort() & 0xffff) << 16);   // bfloat16 is float32's top half
        }
    };

    final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Reads one element (little-endian buffer) as float32. */
    abstract float read(ByteBuffer b);

    /** The type of that safetensors name, or null when GAN4J cannot read it. */
    static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** IEEE 754 binary16 to float32, exactly (subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // zero or subnormal: mant * 2^-24, exact in float32
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
