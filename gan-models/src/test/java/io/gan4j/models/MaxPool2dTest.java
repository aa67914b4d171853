package io.gan4j.models;

import io.gan4j.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MaxPool2dTest {

    @Test
    void takesTheMaximumOfEachWindowAndFloorsOddSizes() {
        // 1 x 1 x 3 x 5: PyTorch's MaxPool2d(2) gives 1 x 1 x 1 x 2, dropping the last row and column
        Tensor x = Tensor.of(new float[] {
                1, 5, 2, 0, 9,
                3, 4, 8, 1, 9,
                9, 9, 9, 9, 9}, 1, 1, 3, 5).requiresGrad(true);
        Tensor y = new MaxPool2d(2).forward(x);
        assertArrayEquals(new int[] {1, 1, 1, 2}, y.shape());
        assertArrayEquals(new float[] {5, 8}, y.toArray(), 0f);
        y.sum().backward();
        assertArrayEquals(new float[] {
                0, 1, 0, 0, 0,
                0, 0, 1, 0, 0,
                0, 0, 0, 0, 0}, x.grad().toArray(), 0f);
    }
}
