"""Deep double descent on MNIST-1D: the paper's width sweep of a two-hidden-layer MLP.

    python benchmarks/double_descent.py [--quick] [--epochs 500] [--widths 2,47,300]
                                        [--torch-widths 47,300] [--threads 1]

The protocol of the MNIST-1D paper's double-descent notebook:

* data: MNIST-1D from the generator with its default seed (42), 16,000 sequences
  split 4,000 train / 12,000 test; 15% of the training labels redrawn uniformly
  at random (``datasets.label_noise``);
* model: MLP 40 -> h -> h -> 10, ReLU, PyTorch's default initialisation;
* training: SGD with momentum 0.9, learning rate 0.01, batches of 100 reshuffled
  every epoch, 500 epochs, cross-entropy;
* widths h: ``unique(geomspace(2, 300, 20).astype(int))``.

Reported per width: the final training error (on the noisy labels) and test
error, and the wall time. The paper reports a test-error peak of about 54% near
h = 47, where the training error first reaches 0, and 45.5% at h = 300.

``--quick`` runs 5 widths for 40 epochs on 1,000 test sequences (a smoke test:
the numbers are not the paper's). With torch installed, the widths in
``--torch-widths`` are trained again by an equivalent PyTorch loop (float32, the
same data, threads and protocol) for a time and accuracy comparison.
"""
from __future__ import annotations

import argparse
import time

import numpy as np


def paper_widths():
    return [int(h) for h in np.unique(np.geomspace(2, 300, 20).astype(int))]


def load(quick, noise, seed):
    from dlcourse import datasets

    x, t, x_test, t_test = datasets.mnist1d_paper_data(num_samples=16000, train_split=0.25)   # 4,000 / 12,000
    if quick:
        x_test, t_test = x_test[:1000], t_test[:1000]
    return x, datasets.label_noise(t, noise, 10, np.random.default_rng(seed)), x_test, t_test


def error(logits, t):
    return float(np.mean(np.argmax(logits, axis=1) != t))


def run_dlcourse(h, data, epochs, lr, momentum, seed):
    from threadpoolctl import threadpool_limits

    from dlcourse import models, optim

    x, t, x_test, t_test = data
    model = models.plain_mlp([40, h, h, 10], rng=seed)
    opt = optim.Momentum(lr=lr, momentum=momentum)   # v <- m v - lr g; p <- p + v: torch's SGD(momentum)
    batches = models.shuffled_batches((x, t), 100, np.random.default_rng(seed))
    t0 = time.perf_counter()
    with threadpool_limits(limits=1):
        models.train_steps(model, opt, batches, epochs * -(-len(x) // 100))
        seconds = time.perf_counter() - t0
        return error(model.predict(x), t), error(model.predict(x_test), t_test), seconds


def run_torch(h, data, epochs, lr, momentum, seed, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x, t, x_test, t_test = (torch.from_numpy(np.array(a)) for a in data)   # writable copies
    x, x_test = x.float(), x_test.float()
    net = torch.nn.Sequential(torch.nn.Linear(40, h), torch.nn.ReLU(), torch.nn.Linear(h, h), torch.nn.ReLU(),
                              torch.nn.Linear(h, 10))
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for _ in range(epochs):
        order = torch.from_numpy(rng.permutation(len(x)))
        for start in range(0, len(x), 100):
            idx = order[start:start + 100]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x[idx]), t[idx]).backward()
            opt.step()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        return error(net(x).numpy(), t.numpy()), error(net(x_test).numpy(), t_test.numpy()), seconds


def summary(rows):
    """One line: the classical minimum (below the interpolation threshold), the peak after it,
    where the training error first reaches 0, and the widest network. rows: (h, train, test)."""
    zero = next((k for k, r in enumerate(rows) if r[1] == 0.0), len(rows))
    best = min(range(max(zero, 1)), key=lambda k: rows[k][2])          # classical U: before interpolation
    peak = max(range(best, len(rows)), key=lambda k: rows[k][2])
    return (f"classical minimum {rows[best][2]:.1%} at h = {rows[best][0]}; peak after it {rows[peak][2]:.1%} "
            f"at h = {rows[peak][0]}; training error first 0 at h = "
            f"{rows[zero][0] if zero < len(rows) else 'none'}; widest (h = {rows[-1][0]}): {rows[-1][2]:.1%} "
            f"(paper: peak 54% near h = 47, 45.5% at h = 300)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="5 widths, 40 epochs, 1,000 test sequences")
    p.add_argument("--epochs", type=int, default=None, help="epochs per width (500; 40 with --quick)")
    p.add_argument("--widths", default=None, help="comma-separated widths (default: the paper's 20)")
    p.add_argument("--torch-widths", default="47,300", help="widths also trained in PyTorch ('' for none)")
    p.add_argument("--noise", type=float, default=0.15)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    epochs = args.epochs or (40 if args.quick else 500)
    widths = ([int(w) for w in args.widths.split(",")] if args.widths
              else [2, 9, 47, 116, 300] if args.quick else paper_widths())
    torch_widths = [int(w) for w in args.torch_widths.split(",") if w.strip()]

    from mnist1d_table import machine        # the same machine line as the results table

    print(machine())
    t0 = time.perf_counter()
    data = load(args.quick, args.noise, args.seed)
    wrong = float(np.mean(data[1] != load(args.quick, 0.0, args.seed)[1]))
    print(f"MNIST-1D: {len(data[0])} train / {len(data[2])} test, {wrong:.1%} of the training labels wrong "
          f"(data in {time.perf_counter() - t0:.1f} s)")
    print(f"MLP 40-h-h-10, SGD lr {args.lr:g} momentum {args.momentum:g}, batch 100, {epochs} epochs, "
          f"{args.threads} thread(s)")
    print(f"{'h':>4}  {'params':>7}  {'train err':>9}  {'test err':>8}  {'seconds':>7}")
    rows = []
    for h in widths:
        tr, te, sec = run_dlcourse(h, data, epochs, args.lr, args.momentum, args.seed)
        rows.append((h, tr, te))
        params = 40 * h + h + h * h + h + 10 * h + 10
        print(f"{h:4d}  {params:7,d}  {tr:9.1%}  {te:8.1%}  {sec:7.1f}", flush=True)
    print(summary(rows))
    if not torch_widths:
        return 0
    try:
        import torch
    except ImportError:
        print("torch not installed: skipped")
        return 0
    print(f"torch {torch.__version__} (float32), same protocol, {args.threads} thread(s):")
    for h in torch_widths:
        tr, te, sec = run_torch(h, data, epochs, args.lr, args.momentum, args.seed, args.threads)
        print(f"{h:4d}  torch: train err {tr:.1%}, test err {te:.1%}, {sec:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
