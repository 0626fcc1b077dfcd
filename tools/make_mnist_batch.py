"""Regenerate bpdebug/graphs/data/mnist_batch.npz: 100 synthetic 28×28 "digits" and labels.

Each class k is a soft ring or bar at a position that depends on k, plus noise, so the batch
looks like image data (mostly dark, some bright strokes) without shipping MNIST itself.
"""

from pathlib import Path

import numpy as np

rng = np.random.default_rng(2026)
labels = np.arange(100) % 10
rng.shuffle(labels)
yy, xx = np.mgrid[0:28, 0:28]
images = np.zeros((100, 28, 28))
for i, k in enumerate(labels):
    cy, cx = 9 + (k // 5) * 10 + rng.normal(0, 1), 6 + (k % 5) * 4 + rng.normal(0, 1)
    radius = 3 + (k % 3)
    ring = np.exp(-((np.hypot(yy - cy, xx - cx) - radius) ** 2) / 2.0)
    images[i] = np.clip(ring + rng.normal(0, 0.05, (28, 28)), 0, 1)
out = Path(__file__).resolve().parents[1] / "bpdebug" / "graphs" / "data" / "mnist_batch.npz"
np.savez_compressed(out, x=images.reshape(100, 784).astype(np.float32), t=labels.astype(np.int64))
print(f"wrote {out} ({out.stat().st_size:,} bytes)")
