package io.gan4j.cuda;

import jcuda.driver.JCudaDriver;

/**
 * Loads JCuda's driver JNI library once per JVM and remembers why it failed: a second attempt only sees
 * "NoClassDefFoundError: Could not initialize class jcuda.driver.JCudaDriver", which names no reason.
 */
final class DriverLibrary {
    private static String failure;
    private static boolean tried;

    private DriverLibrary() {
    }

    /** Null when the library is loaded, else the one-line reason it does not load (the same on every call). */
    static synchronized String loadFailure() {
        if (!tried) {
            tried = true;
            try {
                JCudaDriver.setExceptionsEnabled(true);   // first use: the static initializer loads the JNI library
            } catch (Throwable t) {
                failure = "cannot load " + CudaInfo.jniLibrary("JCudaDriver") + ": " + CudaInfo.reason(t);
            }
        }
        return failure;
    }
}
