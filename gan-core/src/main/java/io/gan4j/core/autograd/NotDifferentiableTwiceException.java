package io.gan4j.core.autograd;

/** A second derivative was asked of an op whose backward pass is not differentiable. */
public class NotDifferentiableTwiceException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public NotDifferentiableTwiceException(String op) {
        super(op + " cannot be differentiated twice: its backward pass is a fused kernel. "
                + "Leave it out of the part of the model a gradient penalty differentiates "
                + "(e.g. no batch norm in a WGAN-GP critic)");
    }
}
