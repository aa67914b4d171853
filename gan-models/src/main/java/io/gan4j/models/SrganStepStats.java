package io.gan4j.models;

/**
 * What one SRGAN step measured: D's loss (0 in pre-training), G's total loss and its two parts (the
 * adversarial part is 0 in pre-training).
 */
public record SrganStepStats(float dLoss, float gLoss, float contentLoss, float adversarialLoss) {
}
