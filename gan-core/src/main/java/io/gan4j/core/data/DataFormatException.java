package io.gan4j.core.data;

import java.io.IOException;

/** A data file is not what its format requires; the message names the file, the field and the expectation. */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String file, String field, String expected, String found) {
        super(file + ": " + field + ": expected " + expected + ", found " + found);
    }
}
