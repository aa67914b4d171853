package io.gan4j.core.backend;

/** A backend cannot be used on this machine; the message is one line saying why. */
public class BackendUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String reason) {
        super(reason);
    }

    public BackendUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
