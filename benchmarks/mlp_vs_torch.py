"""MLP training on MNIST-1D: dlcourse against an equivalent PyTorch CPU loop.

    python benchmarks/mlp_vs_torch.py [--epochs 5] [--threads 1]

Both train the same network (40 -> 100 -> 100 -> 10, ReLU, softmax
cross-entropy) with plain SGD, batch 100, on the same 4,000 samples in the same
order, with the same number of threads (dlcourse's ``train`` limits BLAS to one
thread; torch gets ``torch.set_num_threads``). Reported: seconds per epoch,
median over the epochs, and the ratio dlcourse / torch (target <= 1.5).
Without torch installed, the comparison is skipped and said so.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def dlcourse_epochs(x, t, epochs, seed=0):
    from dlcourse import datasets, models, optim  # noqa: F401

    model = models.MLP([40, 100, 100, 10], activation="relu", init="he", rng=seed)
    opt = optim.SGD(lr=0.1)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        models.train(model, opt, x, t, epochs=1, batch_size=100, rng=seed, progress=False)
        times.append(time.perf_counter() - t0)
    return times, model.accuracy(x, t)


def torch_epochs(x, t, epochs, threads, seed=0):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(40, 100), torch.nn.ReLU(), torch.nn.Linear(100, 100),
                              torch.nn.ReLU(), torch.nn.Linear(100, 10)).double()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, T = torch.from_numpy(x), torch.from_numpy(t)
    rng = np.random.default_rng(seed)
    times = []
    for _ in range(epochs):
        t0 = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(x)))
        for start in range(0, len(x), 100):
            idx = order[start:start + 100]
            opt.zero_grad()
            loss = loss_fn(net(X[idx]), T[idx])
            loss.backward()
            opt.step()
        with torch.no_grad():  # the same per-epoch evaluation dlcourse's train does
            loss_fn(net(X), T)
        times.append(time.perf_counter() - t0)
    with torch.no_grad():
        acc = float((net(X).argmax(1) == T).double().mean())
    return times, acc


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    from dlcourse import datasets

    x, t, _, _ = datasets.load_mnist1d(seed=0)
    x = x.astype(np.float64)
    ours, acc = dlcourse_epochs(x, t, args.epochs)
    print(f"dlcourse: {statistics.median(ours) * 1e3:.0f} ms per epoch (train accuracy {acc:.1%})")
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch is not installed: the comparison is skipped (pip install torch==2.13.0)")
        return 0
    theirs, acc_t = torch_epochs(x, t, args.epochs, args.threads)
    print(f"torch {torch.__version__}, {args.threads} thread(s): {statistics.median(theirs) * 1e3:.0f} ms per epoch "
          f"(train accuracy {acc_t:.1%})")
    print(f"ratio dlcourse / torch: {statistics.median(ours) / statistics.median(theirs):.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
