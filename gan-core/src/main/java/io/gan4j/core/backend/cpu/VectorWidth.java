package io.gan4j.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector species that every Vector API kernel of this JVM uses: 512 bits where the JVM prefers that
 * width (AVX-512), else 256, or what {@code -Dgan4j.vectorBits} says. One width per JVM, not one per kernel:
 * C2 profiles the Vector API's methods (FloatVector.intoArray and the rest) once for all their callers, and
 * where vectors of two widths pass through them it can no longer tell a call's vector class, so the stores
 * stop being compiled as vector instructions. A 512-bit GEMM next to 256-bit Winograd transforms took 435 ms
 * per dcgan-mnist training step on two threads, against 59 ms with 256-bit vectors throughout and 47 ms with
 * 512-bit ones (docs/bench/cpu-2026-12-01-session15.txt). Only classes that VectorSupport loads reflectively name this one.
 */
final class VectorWidth {
    /** The species; a static final, so C2 folds it and its lane count into the kernels' code. */
    static final VectorSpecies<Float> FLOATS = species(VectorSupport.bitsSetting());

    private VectorWidth() {
    }

    /** The species for a setting of {@link VectorSupport#BITS_PROPERTY}: "256", "512", or "" for the JVM's choice. */
    static VectorSpecies<Float> species(String bits) {
        switch (bits) {
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
                        ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
        }
    }
}
