package io.gan4j.core.io;

import io.gan4j.core.tensor.Shape;
import io.gan4j.core.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A grid of images written as one PNG: how a user sees what a generator makes. Images are NCHW with 1 or 3
 * channels in [-1, 1] (a tanh generator's range); values outside are clipped.
 */
public final class ImageGrid {
    private static final int GAP = 2;

    private ImageGrid() {
    }

    /**
     * Writes {@code images} [N, C, H, W] as a grid of {@code columns} columns to {@code file}, atomically
     * (a temporary file renamed over the target, so a crash never leaves half an image).
     */
    public static void writePng(Tensor images, int columns, Path file) throws IOException {
        int[] s = images.shape();
        if (s.length != 4 || (s[1] != 1 && s[1] != 3)) {
            throw new IllegalArgumentException("image grid " + file + ": expected images [N, 1 or 3, H, W], got "
                    + Shape.str(s));
        }
        if (columns < 1) {
            throw new IllegalArgumentException("image grid " + file + ": columns must be >= 1, got " + columns);
        }
        int n = s[0];
        int c = s[1];
        int h = s[2];
        int w = s[3];
        int cols = Math.min(columns, Math.max(1, n));
        int rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (w + GAP) + GAP, rows * (h + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
        float[] px = images.toArray();
        for (int i = 0; i < n; i++) {
            int x0 = GAP + (i % cols) * (w + GAP);
            int y0 = GAP + (i / cols) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r = level(px[((i * c) * h + y) * w + x]);
                    int g = c == 3 ? level(px[((i * c + 1) * h + y) * w + x]) : r;
                    int b = c == 3 ? level(px[((i * c + 2) * h + y) * w + x]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("image grid " + file + ": no PNG writer in this JDK");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int level(float v) {
        float clipped = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? -1f : v));
        return Math.round((clipped + 1f) * 127.5f);
    }
}
