package io.gan4j.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file of unsigned bytes (the MNIST format: big-endian magic {@code 0x0000080D} where D is the
 * number of dimensions, then D sizes, then the data), optionally gzip-compressed.
 */
public record IdxFile(String source, int[] dims, byte[] data) {

    /** Reads a file; ".gz" files are decompressed. Errors name the file, the field and what was expected. */
    public static IdxFile read(Path path, int expectedDims) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), expectedDims);
        }
    }

    /** Reads from a stream; gzip is detected by its magic bytes. */
    public static IdxFile read(InputStream raw, String source, int expectedDims) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        int magic = readInt(data, source, "magic number");
        if ((magic >>> 8) != 0x08) {
            throw new DataFormatException(source, "magic number", "0x0000080" + expectedDims
                    + " (IDX of unsigned bytes)", String.format("0x%08X", magic));
        }
        int dims = magic & 0xFF;
        if (dims != expectedDims) {
            throw new DataFormatException(source, "number of dimensions", String.valueOf(expectedDims), String.valueOf(dims));
        }
        int[] sizes = new int[dims];
        long total = 1;
        for (int i = 0; i < dims; i++) {
            sizes[i] = readInt(data, source, "size of dimension " + i);
            if (sizes[i] <= 0) {
                throw new DataFormatException(source, "size of dimension " + i, "a positive number", String.valueOf(sizes[i]));
            }
            total *= sizes[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(source, "sizes", "at most 2^31 bytes of data", total + " bytes");
        }
        byte[] bytes = new byte[(int) total];
        try {
            data.readFully(bytes);
        } catch (EOFException e) {
            throw new DataFormatException(source, "data", total + " bytes as the header declares", "a truncated file");
        }
        return new IdxFile(source, sizes, bytes);
    }

    private static int readInt(DataInputStream in, String source, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(source, field, "4 bytes", "end of file");
        }
    }
}
