package io.gan4j.models;

import io.gan4j.core.nn.BatchNorm2d;
import io.gan4j.core.nn.Conv2d;
import io.gan4j.core.nn.ConvTranspose2d;
import io.gan4j.core.nn.Init;
import io.gan4j.core.nn.LeakyReLU;
import io.gan4j.core.nn.Module;
import io.gan4j.core.nn.ReLU;
import io.gan4j.core.nn.Sequential;
import io.gan4j.core.nn.SpectralNorm;
import io.gan4j.core.nn.Tanh;
import io.gan4j.core.tensor.Generator;

/**
 * The DCGAN of Radford et al. (2016) as in PyTorch's DCGAN example ({@code dcgan-64}): for 64x64 images,
 * <pre>
 * G: ConvT(z -> 8ngf, k4, s1, p0) BN ReLU -> ConvT(8ngf -> 4ngf, k4, s2, p1) BN ReLU
 *    -> ConvT(4ngf -> 2ngf) BN ReLU -> ConvT(2ngf -> ngf) BN ReLU -> ConvT(ngf -> nc) tanh
 * D: Conv(nc -> ndf, k4, s2, p1) LReLU(0.2) -> Conv(ndf -> 2ndf) BN LReLU -> Conv(2ndf -> 4ndf) BN LReLU
 *    -> Conv(4ndf -> 8ndf) BN LReLU -> Conv(8ndf -> 1, k4, s1, p0)
 * </pre>
 * every layer without bias, weights N(0, 0.02), batch-norm weights N(1, 0.02). Other sizes (a power of two,
 * at least 8) add or remove one doubling stage per factor of two, widths doubling towards the 4x4 end, so
 * 32x32 has 4ngf at 4x4 and 128x128 has 16ngf.
 *
 * <p>Without batch norm in D (WGAN-GP's critic) its hidden convolutions get a bias, the shift batch norm
 * provided; with spectral norm each convolution of D is wrapped.
 *
 * @param imageSize side of the square images (64)
 * @param channels  image channels nc (3)
 * @param latentDim size of z (100)
 * @param ngf       generator width (64)
 * @param ndf       discriminator width (64)
 * @param norm      normalisation of D's hidden layers
 */
public record Dcgan(int imageSize, int channels, int latentDim, int ngf, int ndf, DiscriminatorNorm norm)
        implements LatentArchitecture {

    public Dcgan {
        if (imageSize < 8 || Integer.bitCount(imageSize) != 1) {
            throw new IllegalArgumentException("DCGAN: image size must be a power of two >= 8, got " + imageSize);
        }
        if (channels < 1 || latentDim < 1 || ngf < 1 || ndf < 1 || norm == null) {
            throw new IllegalArgumentException("DCGAN: channels " + channels + ", latent size " + latentDim + ", ngf "
                    + ngf + ", ndf " + ndf + " must be positive and norm set");
        }
    }

    /** The paper's 64x64x3 networks: ngf = ndf = 64, z = 100, batch norm in both. */
    public static Dcgan paper64() {
        return new Dcgan(64, 3, 100, 64, 64, DiscriminatorNorm.BATCH_NORM);
    }

    public Dcgan withImageSize(int size) {
        return new Dcgan(size, channels, latentDim, ngf, ndf, norm);
    }

    public Dcgan withChannels(int c) {
        return new Dcgan(imageSize, c, latentDim, ngf, ndf, norm);
    }

    public Dcgan withLatentDim(int dim) {
        return new Dcgan(imageSize, channels, dim, ngf, ndf, norm);
    }

    /** Both widths. */
    public Dcgan withWidth(int width) {
        return new Dcgan(imageSize, channels, latentDim, width, width, norm);
    }

    public Dcgan withNgf(int width) {
        return new Dcgan(imageSize, channels, latentDim, width, ndf, norm);
    }

    public Dcgan withNdf(int width) {
        return new Dcgan(imageSize, channels, latentDim, ngf, width, norm);
    }

    public Dcgan withNorm(DiscriminatorNorm n) {
        return new Dcgan(imageSize, channels, latentDim, ngf, ndf, n);
    }

    /** Doubling stages between 4x4 and the image: 4 for 64x64. */
    int stages() {
        return Integer.numberOfTrailingZeros(imageSize) - 2;
    }

    @Override
    public DcganGenerator generator(Generator rng) {
        Sequential main = new Sequential();
        int width = ngf << (stages() - 1);
        main.add(new ConvTranspose2d(latentDim, width, 4, 1, 0, 0, false, rng)).add(new BatchNorm2d(width)).add(new ReLU());
        for (int i = 1; i < stages(); i++) {
            main.add(new ConvTranspose2d(width, width / 2, 4, 2, 1, 0, false, rng))
                    .add(new BatchNorm2d(width / 2)).add(new ReLU());
            width /= 2;
        }
        main.add(new ConvTranspose2d(width, channels, 4, 2, 1, 0, false, rng)).add(new Tanh());
        return Init.dcgan(new DcganGenerator(latentDim, main), rng);
    }

    @Override
    public DcganDiscriminator discriminator(Generator rng) {
        Sequential main = new Sequential();
        int width = ndf;
        main.add(conv(channels, width, 4, 2, 1, false, rng)).add(new LeakyReLU(0.2f));
        for (int i = 1; i < stages(); i++) {
            boolean batchNorm = norm == DiscriminatorNorm.BATCH_NORM;
            main.add(conv(width, width * 2, 4, 2, 1, !batchNorm, rng));
            if (batchNorm) {
                main.add(new BatchNorm2d(width * 2));
            }
            main.add(new LeakyReLU(0.2f));
            width *= 2;
        }
        main.add(conv(width, 1, 4, 1, 0, false, rng));
        return Init.dcgan(new DcganDiscriminator(main), rng);
    }

    private Module conv(int in, int out, int k, int stride, int padding, boolean bias, Generator rng) {
        Conv2d c = new Conv2d(in, out, k, stride, padding, bias, rng);
        return norm == DiscriminatorNorm.SPECTRAL_NORM ? new SpectralNorm(c, rng) : c;
    }
}
