"""TimeLSTM forward + backward: dlcourse.rnn against PyTorch CPU in the same run.

    python benchmarks/lstm_vs_torch.py [--threads 1] [--repeats 20] [--quick]

One forward and one backward pass of an LSTM layer over a batch of sequences,
N = 64, T = 35, D = H = 256, float32 (the target: dlcourse <= 2x PyTorch).
Three contestants get the same weights, inputs and upstream gradients:

* ``dlcourse.rnn.TimeLSTM``: ``forward(xs)`` then ``backward(dhs)``;
* ``torch.nn.LSTM`` (one fused layer), ``out.backward(dhs)``;
* an autograd loop over ``torch.nn.LSTMCell``, one call per time step, as a
  learner would write it in PyTorch.

Before timing, the outputs and input gradients of all three are compared
(PyTorch orders the gate blocks i, f, g, o; dlcourse f, g, i, o, and keeps
weights as (D, 4H) rather than (4H, D)). Both libraries are limited to the
same number of threads (threadpoolctl for numpy's BLAS, ``torch.set_num_threads``).
Reported: median milliseconds per forward + backward over the repeats, and
the ratios dlcourse / torch. The three take turns within each repeat, so a change in the
machine's load affects them alike. Without torch installed the comparison is skipped.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def _inputs(N, T, D, H, seed=0):
    from dlcourse import rnn

    rng = np.random.default_rng(seed)
    Wx, Wh, b = rnn.init_recurrent("lstm", D, H, rng, dtype=np.float32)
    xs = rng.standard_normal((N, T, D)).astype(np.float32)
    dhs = rng.standard_normal((N, T, H)).astype(np.float32)
    return Wx, Wh, b, xs, dhs


def _median_ms(steps, repeats, warmup=2):
    """Median milliseconds of each step function; the steps take turns, so a change in the
    machine's load hits all of them alike."""
    for _ in range(warmup):
        for step in steps:
            step()
    times = [[] for _ in steps]
    for _ in range(repeats):
        for k, step in enumerate(steps):
            t0 = time.perf_counter()
            step()
            times[k].append(time.perf_counter() - t0)
    return [statistics.median(t) * 1e3 for t in times]


def dlcourse_lstm(Wx, Wh, b, xs, dhs):
    """A step function for dlcourse's TimeLSTM, and its (hs, dxs)."""
    from dlcourse import rnn

    layer = rnn.TimeLSTM(Wx, Wh, b)

    def step():
        hs = layer.forward(xs)
        return hs, layer.backward(dhs)

    return step, step()


def _torch_order(W):
    """dlcourse's gate blocks f, g, i, o (last axis) -> PyTorch's i, f, g, o."""
    f, g, i, o = np.split(W, 4, axis=-1)
    return np.concatenate([i, f, g, o], axis=-1)


def torch_lstms(Wx, Wh, b, xs, dhs):
    """Step functions for torch.nn.LSTM and a loop over torch.nn.LSTMCell, and their (hs, dxs)."""
    import torch

    D, H = Wx.shape[0], Wh.shape[0]
    W_ih = torch.from_numpy(np.ascontiguousarray(_torch_order(Wx).T))       # (4H, D)
    W_hh = torch.from_numpy(np.ascontiguousarray(_torch_order(Wh).T))       # (4H, H)
    bias = torch.from_numpy(_torch_order(b))
    fused, cell = torch.nn.LSTM(D, H, batch_first=True), torch.nn.LSTMCell(D, H)
    with torch.no_grad():
        for w_ih, w_hh, b_ih, b_hh in ((fused.weight_ih_l0, fused.weight_hh_l0, fused.bias_ih_l0, fused.bias_hh_l0),
                                       (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)):
            w_ih.copy_(W_ih)
            w_hh.copy_(W_hh)
            b_ih.copy_(bias)
            b_hh.zero_()
    X, dH = torch.from_numpy(xs), torch.from_numpy(dhs)
    N, T, _ = xs.shape

    def run_fused():
        x = X.clone().requires_grad_(True)
        fused.zero_grad(set_to_none=True)
        out, _ = fused(x)
        out.backward(dH)
        return out, x.grad

    def run_cell():
        x = X.clone().requires_grad_(True)
        cell.zero_grad(set_to_none=True)
        h = c = torch.zeros(N, H)
        hs = []
        for t in range(T):
            h, c = cell(x[:, t], (h, c))
            hs.append(h)
        out = torch.stack(hs, dim=1)
        out.backward(dH)
        return out, x.grad

    def step(fn):
        def go():
            out, dx = fn()
            return out.detach().numpy(), dx.numpy()
        return go

    return step(run_fused), step(run_cell)


def _max_rel(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2],
                   help="thread counts to measure (both libraries get the same)")
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--quick", action="store_true", help="5 repeats, one thread")
    args = p.parse_args(argv)
    if args.quick:
        args.repeats, args.threads = 5, [1]
    from threadpoolctl import threadpool_limits

    N, T, D, H = 64, 35, 256, 256
    Wx, Wh, b, xs, dhs = _inputs(N, T, D, H)
    print(f"TimeLSTM forward + backward, N = {N}, T = {T}, D = H = {H}, float32, "
          f"median of {args.repeats} runs")
    try:
        import torch
    except ImportError:
        torch = None
    ours_step, (hs, dxs) = dlcourse_lstm(Wx, Wh, b, xs, dhs)
    assert hs.dtype == np.float32 and dxs.dtype == np.float32, "dlcourse should keep float32"
    if torch is None:
        with threadpool_limits(limits=args.threads[0]):
            (ms,) = _median_ms([ours_step], args.repeats)
        print(f"dlcourse: {ms:.1f} ms per forward + backward ({args.threads[0]} thread)")
        print("torch not installed: skipped")
        return 0
    fused_step, cell_step = torch_lstms(Wx, Wh, b, xs, dhs)
    for name, fn in (("torch.nn.LSTM", fused_step), ("torch.nn.LSTMCell loop", cell_step)):
        out, dx = fn()
        print(f"agreement with {name:<22}: hs max rel. diff {_max_rel(hs, out):.1e}, "
              f"dxs max rel. diff {_max_rel(dxs, dx):.1e}")
    print(f"torch {torch.__version__}")
    print(f"{'threads':>7}  {'dlcourse ms':>11}  {'nn.LSTM ms':>10}  {'LSTMCell loop ms':>16}  "
          f"{'vs nn.LSTM':>10}  {'vs loop':>7}")
    worst = 0.0
    for threads in args.threads:
        torch.set_num_threads(threads)
        with threadpool_limits(limits=threads):
            ours, fused, loop = _median_ms([ours_step, fused_step, cell_step], args.repeats)
        worst = max(worst, ours / fused)
        print(f"{threads:7d}  {ours:11.1f}  {fused:10.1f}  {loop:16.1f}  {ours / fused:9.2f}x  {ours / loop:6.2f}x")
    print(f"target: dlcourse <= 2x torch.nn.LSTM; worst ratio here {worst:.2f}x "
          f"({'met' if worst <= 2 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
