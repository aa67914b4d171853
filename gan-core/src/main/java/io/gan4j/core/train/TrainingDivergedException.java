package io.gan4j.core.train;

/** Training produced a NaN or infinite loss or weight; the message says where and what is left intact. */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
