"""PyTorch on the same CPU, for scale: the figures GAN4J's JMH benchmarks print, measured the same way.

Three speed measurements, each on `--threads` threads (default 2, the CI machine's cores), printing one line
per timed round (--rounds, each about --seconds long, after one warm-up round):
  sgemm   1024^3 single-precision matrix product (GemmBenchmark, shape sgemm1024)
  convset forward + backward (data and weight gradient) of dcgan-mnist's five convolutions at batch 64
          (ConvBenchmark.dcganMnistSet; FLOPs counted as there: 3 passes x 2 x MACs = 23.4 GFLOP per set)
  train   full dcgan-mnist training iterations at batch 16 (ModelTrainingBenchmark): a D step on a real and a
          generated batch, a G step on the same generated batch (non-saturating loss, Adam 1e-3 (0.5, 0.999)),
          and an EMA update of G; images/s

And one training run, for sample quality:
  quality trains dcgan-mnist on the bundled 10,000 digits with `gan train`'s CPU recipe (batch 16, Adam 1e-3
          (0.5, 0.999), EMA 0.995 of G with batch-norm statistics recomputed for the averaged weights) for
          --minutes of wall-clock time; every --dump-every steps and at the end it writes 1,000 samples of the
          EMA generator (noise from seed 12) to --out as raw float32 [1000, 784] files, which gan4j's digit
          classifier scores (docs/bench/pytorch/ScoreSamples.java).

Install on Debian 12: apt-get install python3-torch libopenblas0-openmp, then
  /usr/bin/python3 docs/bench/pytorch/dcgan_mnist.py [sgemm] [convset] [train] [quality] [--threads 2] ...
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def generator():
    return nn.Sequential(
        nn.Linear(100, 7 * 7 * 256, bias=False), nn.BatchNorm1d(7 * 7 * 256), nn.ReLU(),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 5, 1, 2, 0, bias=False), nn.BatchNorm2d(128), nn.ReLU(),
        nn.ConvTranspose2d(128, 64, 5, 2, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 5, 2, 2, 1, bias=False), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, 2, 2), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 5, 2, 2), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(6272, 1))


def rounds(work, units_per_call, label, unit, args):
    """Calls work() for --seconds per round; prints units per second for each timed round."""
    for r in range(args.rounds + 1):
        calls, start = 0, time.perf_counter()
        while True:
            work()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.seconds:
                break
        if r > 0:  # round 0 warms up
            print(f"{label} threads {args.threads} round {r}: {calls * units_per_call / elapsed:.1f} {unit}",
                  flush=True)


def sgemm(args):
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    c = torch.empty(1024, 1024)
    rounds(lambda: torch.mm(a, b, out=c), 2 * 1024 ** 3 / 1e9, "sgemm 1024^3", "GFLOP/s", args)


def convset(args):
    n = 64
    # (input shape, layer); transposed layers run as PyTorch's ConvTranspose2d
    layers = [((n, 1, 28, 28), nn.Conv2d(1, 64, 5, 2, 2, bias=False)),
              ((n, 64, 14, 14), nn.Conv2d(64, 128, 5, 2, 2, bias=False)),
              ((n, 256, 7, 7), nn.ConvTranspose2d(256, 128, 5, 1, 2, 0, bias=False)),
              ((n, 128, 7, 7), nn.ConvTranspose2d(128, 64, 5, 2, 2, 1, bias=False)),
              ((n, 64, 14, 14), nn.ConvTranspose2d(64, 1, 5, 2, 2, 1, bias=False))]
    inputs = [torch.randn(*shape, requires_grad=True) for shape, _ in layers]
    # MACs of one pass, as ConvGeometry.macs counts them: output pixels x K x C x R x S of the forward conv
    macs = [n * 14 * 14 * 64 * 1 * 25, n * 7 * 7 * 128 * 64 * 25, n * 7 * 7 * 128 * 256 * 25,
            n * 7 * 7 * 128 * 64 * 25, n * 14 * 14 * 64 * 1 * 25]
    gflop = 3 * 2 * sum(macs) / 1e9

    def step():
        for x, (_, layer) in zip(inputs, layers):
            y = layer(x)
            y.backward(torch.ones_like(y))
    rounds(step, gflop, f"dcgan-mnist conv set ({gflop:.1f} GFLOP)", "GFLOP/s", args)


class Dcgan:
    """dcgan-mnist as gan4j builds it, N(0, 0.02) weights, with `gan train`'s CPU optimisers (Adam 1e-3 (0.5, 0.999))."""

    def __init__(self, batch):
        self.g, self.d = generator(), discriminator()
        for m in list(self.g.modules()) + list(self.d.modules()):
            if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.normal_(m.weight, 0, 0.02)
        self.opt_g = torch.optim.Adam(self.g.parameters(), 1e-3, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.d.parameters(), 1e-3, betas=(0.5, 0.999))
        self.n = batch
        self.ones, self.zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def iteration(self, real):
        """A D step on a real and a generated batch, then a G step on the same generated batch (non-saturating)."""
        g, d = self.g, self.d
        fake = g(torch.randn(self.n, 100))
        self.opt_d.zero_grad()
        (F.binary_cross_entropy_with_logits(d(real), self.ones)
         + F.binary_cross_entropy_with_logits(d(fake.detach()), self.zeros)).backward()
        self.opt_d.step()
        self.opt_g.zero_grad()
        for p in d.parameters():
            p.requires_grad_(False)
        F.binary_cross_entropy_with_logits(d(fake), self.ones).backward()
        for p in d.parameters():
            p.requires_grad_(True)
        self.opt_g.step()


def train(args):
    torch.manual_seed(1)
    gan = Dcgan(args.batch)
    ema = [p.detach().clone() for p in gan.g.parameters()]
    n = args.batch
    real = torch.rand(4 * n, 1, 28, 28) * 2 - 1
    state = {"i": 0}

    def iteration():
        i = state["i"] = (state["i"] + 1) % 4
        gan.iteration(real[i * n:(i + 1) * n])
        with torch.no_grad():
            torch._foreach_mul_(ema, args.ema)
            torch._foreach_add_(ema, [p.detach() for p in gan.g.parameters()], alpha=1 - args.ema)
    rounds(iteration, n, f"dcgan-mnist training iteration, batch {n}", "images/s", args)


def mnist():
    """The bundled digits as [10000, 1, 28, 28] in [-1, 1], as io.gan4j.core.data.Mnist reads them."""
    import gzip
    import os
    path = os.path.join(os.path.dirname(__file__), "../../../gan-core/src/main/resources/io/gan4j/core/data/mnist/"
                        "mnist-10k-images-idx3-ubyte.gz")
    with gzip.open(path) as f:
        raw = f.read()
    n = int.from_bytes(raw[4:8], "big")
    pixels = torch.frombuffer(bytearray(raw[16:16 + n * 784]), dtype=torch.uint8)
    return pixels.float().div(127.5).sub(1).reshape(n, 1, 28, 28)


def quality(args):
    import copy
    import os
    torch.manual_seed(args.seed)
    digits = mnist()
    gan = Dcgan(args.batch)
    ema = copy.deepcopy(gan.g)
    n = args.batch
    z_eval = torch.randn(1000, 100, generator=torch.Generator().manual_seed(12))
    os.makedirs(args.out, exist_ok=True)

    def dump(step):
        # the EMA generator with batch-norm statistics measured for its own weights (16 batches of 64)
        with torch.no_grad():
            for m in ema.modules():
                if isinstance(m, nn.modules.batchnorm._BatchNorm):
                    m.reset_running_stats()
                    m.momentum = None
            ema.train()
            for _ in range(16):
                ema(torch.randn(64, 100))
            ema.eval()
            samples = ema(z_eval).reshape(1000, 784).numpy().astype("float32")
        file = os.path.join(args.out, f"samples-step{step}.f32")
        samples.tofile(file + ".tmp")
        os.replace(file + ".tmp", file)
        print(f"step {step}: 1,000 samples in {file}", flush=True)

    start, step, order, at = time.perf_counter(), 0, torch.randperm(len(digits)), 0
    while time.perf_counter() - start < args.minutes * 60:
        if at + n > len(order):  # a new epoch, shuffled
            order, at = torch.randperm(len(digits)), 0
        real, at = digits[order[at:at + n]], at + n
        gan.iteration(real)
        step += 1
        decay = min(args.ema, (1 + step) / (10 + step))  # gan4j's EMA warm-up
        with torch.no_grad():
            for e, p in zip(ema.parameters(), gan.g.parameters()):
                e.mul_(decay).add_(p.detach(), alpha=1 - decay)
        if step % args.dump_every == 0:
            dump(step)
    seconds = time.perf_counter() - start
    print(f"{step} steps in {seconds:.0f} s ({step * n / seconds:.1f} images/s, sample dumps included)", flush=True)
    dump(step)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    benchmarks = {"sgemm": sgemm, "convset": convset, "train": train, "quality": quality}
    p.add_argument("what", nargs="*", default=["sgemm", "convset", "train"], help="any of " + ", ".join(benchmarks))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--ema", type=float, default=0.995)
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--seed", type=int, default=1, help="quality: the seed of initialisation, data order and noise")
    p.add_argument("--dump-every", type=int, default=600)
    p.add_argument("--out", default="runs/pytorch-dcgan-mnist")
    a = p.parse_args()
    unknown = [w for w in a.what if w not in benchmarks]
    if unknown:
        p.error(f"unknown benchmark {unknown}; expected any of {list(benchmarks)}")
    torch.set_num_threads(a.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}",
          flush=True)
    for w in a.what:
        benchmarks[w](a)
