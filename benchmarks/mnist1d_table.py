"""The MNIST-1D results table: logistic regression, MLP, CNN and GRU with the paper's protocol.

    python benchmarks/mnist1d_table.py [--only logistic,mlp,cnn,gru] [--quick] [--steps 6000]
                                       [--threads 1] [--seed 0] [--no-torch]

Protocol (Greydanus & Kobak's MNIST-1D paper): the data set from the generator's
default seed 42 (4,000 train / 1,000 test), Adam with learning rate 1e-2,
batches of 100 taken in order, 6,000 steps, the test set scored every 250 steps
(``dlcourse.experiments.mnist1d.train_protocol``). Models:

* logistic regression, 40 -> 10 (``dlcourse.models.logistic``);
* the paper's MLP, 40 -> 100, then 100 -> 100 with a skip, then -> 10
  (``dlcourse.models.residual_mlp``);
* the paper's CNN, three Conv1D layers of 25 channels and a linear layer
  (``dlcourse.cnn.mnist1d_cnn``, chapter 12);
* a bidirectional GRU, hidden size 6 per direction (``dlcourse.rnn.mnist1d_gru``,
  chapter 14; its readout sees both final states and each unit's maximum over time).

Reported: test accuracy, best over the evaluations and final, and the wall time
of the whole training loop (evaluations included). With torch installed, the
same four models are trained in PyTorch in the same run, with the same data,
order, protocol and thread count (torch in float32, its default; dlcourse in
float64). Paper: 32 / 68 / 94 / 91%. ``--quick`` trains 500 steps.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

MODELS = ("logistic", "mlp", "cnn", "gru")


def dlcourse_model(name, seed):
    from dlcourse import models

    if name == "logistic":
        return models.logistic(rng=seed)
    if name == "mlp":
        return models.residual_mlp(rng=seed)
    if name == "cnn":
        from dlcourse.cnn import mnist1d_cnn

        return mnist1d_cnn(rng=seed, channels=25)
    if name == "gru":
        from dlcourse.rnn import mnist1d_gru

        return mnist1d_gru(rng=seed, hidden=6)
    raise ValueError(f"unknown model {name!r}; expected one of {', '.join(MODELS)}")


def torch_model(name):
    import torch
    from torch import nn

    class ResidualMLP(nn.Module):
        def __init__(self):
            super().__init__()
            self.l1, self.l2, self.l3 = nn.Linear(40, 100), nn.Linear(100, 100), nn.Linear(100, 10)

        def forward(self, x):
            h = self.l1(x).relu()
            h = h + self.l2(h).relu()
            return self.l3(h)

    class BiGRU(nn.Module):
        def __init__(self, H=6):
            super().__init__()
            self.H = H
            self.gru = nn.GRU(1, H, batch_first=True, bidirectional=True)
            self.head = nn.Linear(4 * H, 10)

        def forward(self, x):
            hs, _ = self.gru(x[:, :, None])                                   # (N, T, 2H)
            last = torch.cat([hs[:, -1, :self.H], hs[:, 0, self.H:]], dim=1)  # (N, 2H)
            return self.head(torch.cat([last, hs.max(dim=1).values], dim=1))

    if name == "logistic":
        return nn.Linear(40, 10)
    if name == "mlp":
        return ResidualMLP()
    if name == "cnn":
        return nn.Sequential(nn.Unflatten(1, (1, 40)),
                             nn.Conv1d(1, 25, 5, stride=2, padding=1), nn.ReLU(),
                             nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(),
                             nn.Conv1d(25, 25, 3, stride=2, padding=1), nn.ReLU(),
                             nn.Flatten(), nn.Linear(125, 10))
    if name == "gru":
        return BiGRU()
    raise ValueError(name)


def run_torch(name, data, steps, eval_every, lr, seed, threads):
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x, t, x_test, t_test = (torch.from_numpy(np.array(a)) for a in data)
    x, x_test = x.float(), x_test.float()
    model = torch_model(name)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    accs, N = [], len(x)
    t0 = time.perf_counter()
    for step in range(1, steps + 1):
        start = ((step - 1) * 100) % N
        loss = torch.nn.functional.cross_entropy(model(x[start:start + 100]), t[start:start + 100])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % eval_every == 0 or step == steps:
            with torch.no_grad():
                accs.append(float((model(x_test).argmax(1) == t_test).double().mean()))
    seconds = time.perf_counter() - t0
    n_params = sum(p.numel() for p in model.parameters())
    return max(accs), accs[-1], seconds, n_params


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"machine: {os.cpu_count()} CPUs (nproc), {cpu}; load average {load:.2f} at the start; "
            f"python {platform.python_version()}, numpy {np.__version__}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(MODELS), help="comma-separated models: " + ", ".join(MODELS))
    p.add_argument("--quick", action="store_true", help="500 steps instead of 6,000")
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0, help="initial weights (the data always use 42)")
    p.add_argument("--no-torch", action="store_true")
    args = p.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    for n in names:
        if n not in MODELS:
            p.error(f"unknown model {n!r}; expected one of {', '.join(MODELS)}")
    steps = args.steps or (500 if args.quick else 6000)

    from dlcourse import datasets
    from dlcourse.experiments import mnist1d as M

    print("command: python benchmarks/mnist1d_table.py " + " ".join(sys.argv[1:] if argv is None else argv))
    print(machine())
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            print("torch not installed: skipped")
    if torch is not None:
        print(f"torch {torch.__version__}, {args.threads} thread(s) for both")
    data = datasets.mnist1d_paper_data()
    print(f"MNIST-1D seed {datasets.MNIST1D_PAPER_SEED}: {len(data[0])} train / {len(data[2])} test; Adam lr {args.lr:g}, "
          f"batch 100 in order, {steps} steps, test scored every {args.eval_every}")
    head = f"{'model':<9} {'params':>7}  {'best':>6} {'final':>6} {'seconds':>8}  {'paper':>5}"
    if torch is not None:
        head += f"   {'torch best':>10} {'final':>6} {'seconds':>8}  {'ratio':>5}"
    print(head)
    for name in names:
        model = dlcourse_model(name, args.seed)
        run = M.train_protocol(model, data, steps=steps, eval_every=args.eval_every, lr=args.lr,
                               threads=args.threads, name=name)
        line = (f"{name:<9} {run.n_params:7,d}  {run.best:6.1%} {run.final:6.1%} {run.seconds:8.1f}  "
                f"{M.PAPER_ACCURACY[name]:5.0%}")
        if torch is not None:
            best, final, seconds, n = run_torch(name, data, steps, args.eval_every, args.lr, args.seed, args.threads)
            line += f"   {best:10.1%} {final:6.1%} {seconds:8.1f}  {run.seconds / seconds:5.2f}"
            if n != run.n_params:
                line += f"  (torch model: {n:,} params)"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
