"""Conv2D forward+backward: dlcourse against PyTorch CPU and the textbook im2col.

    python benchmarks/conv_vs_torch.py [--threads 2] [--repeats 15] [--quick]

Shape: x (100, 16, 28, 28) float64, W (32, 16, 3, 3), pad 1, stride 1 (``--quick``:
batch 20, 5 repeats). Three implementations run on the same arrays, interleaved
(one of each per round, so a busy machine slows all three alike), with the same
number of BLAS/torch threads:

* ``dlcourse.cnn.Conv2D``: a strided-view im2col in a (C·FH·FW, N·OH·OW) layout,
  three large matrix products, a col2im that loops over the 9 filter offsets;
* the textbook im2col convolution (``im2col_loop``/``col2im_loop``: a loop over
  filter offsets to build the column matrix, rows (N·OH·OW, C·FH·FW));
* ``torch.nn.functional.conv2d`` with autograd, float64 tensors.

Reported: median and best time per forward+backward, the ratios (targets:
dlcourse <= 1.2x torch, textbook / dlcourse >= 1.5), and the peak memory
tracemalloc sees during each numpy backward pass (torch's allocator is not
traced). Without torch, its rows are skipped and said so.
"""
from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np


class TextbookConv:
    """The textbook convolution layer on top of im2col_loop / col2im_loop."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        from dlcourse import cnn

        FN, C, FH, FW = self.W.shape
        N, _, H, Wd = x.shape
        OH = (H + 2 * self.pad - FH) // self.stride + 1
        OW = (Wd + 2 * self.pad - FW) // self.stride + 1
        self.x_shape = x.shape
        self.col = cnn.im2col_loop(x, FH, FW, self.stride, self.pad)          # (N·OH·OW, C·FH·FW)
        self.W2 = self.W.reshape(FN, -1).T                                     # (C·FH·FW, FN)
        out = self.col @ self.W2 + self.b
        return out.reshape(N, OH, OW, FN).transpose(0, 3, 1, 2)

    def backward(self, dout):
        from dlcourse import cnn

        FN, C, FH, FW = self.W.shape
        dout2 = dout.transpose(0, 2, 3, 1).reshape(-1, FN)                     # (N·OH·OW, FN)
        self.db = dout2.sum(axis=0)
        self.dW = (self.col.T @ dout2).T.reshape(self.W.shape)
        dcol = dout2 @ self.W2.T
        return cnn.col2im_loop(dcol, self.x_shape, FH, FW, self.stride, self.pad)


def _numpy_pass(layer, x, dout):
    layer.forward(x)
    return layer.backward(dout)


def _backward_peak(layer, x, dout):
    """Peak bytes tracemalloc sees during one backward pass (the forward's cache excluded)."""
    layer.forward(x)
    tracemalloc.start()
    layer.backward(dout)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2, help="BLAS and torch threads (default 2)")
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--quick", action="store_true", help="batch 20 and 5 repeats")
    args = p.parse_args(argv)
    from threadpoolctl import threadpool_limits

    from dlcourse import cnn

    N, repeats = (20, 5) if args.quick else (100, args.repeats)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, 16, 28, 28))
    W, b = rng.standard_normal((32, 16, 3, 3)), rng.standard_normal(32)
    dout = rng.standard_normal((N, 32, 28, 28))
    ours, book = cnn.Conv2D(W, b, pad=1), TextbookConv(W, b, pad=1)

    runners = {"dlcourse Conv2D": lambda: _numpy_pass(ours, x, dout),
               "textbook im2col": lambda: _numpy_pass(book, x, dout)}
    try:
        import torch
    except ImportError:
        torch = None
        print("torch not installed: skipped")
    if torch is not None:
        torch.set_num_threads(args.threads)
        xt, Wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, W, b))
        dt = torch.from_numpy(dout)

        def torch_pass():
            out = torch.nn.functional.conv2d(xt, Wt, bt, padding=1)
            out.backward(dt)
            grads = xt.grad, Wt.grad, bt.grad
            xt.grad = Wt.grad = bt.grad = None
            return grads

        runners["torch conv2d"] = torch_pass

    with threadpool_limits(limits=args.threads):
        dx = _numpy_pass(ours, x, dout)                       # warm-up, and the answers agree
        ref = _numpy_pass(book, x, dout)
        assert np.allclose(dx, ref) and np.allclose(ours.grads[0], book.dW)
        if torch is not None:
            tdx, tdW, _ = torch_pass()
            assert np.allclose(dx, tdx.numpy()) and np.allclose(ours.grads[0], tdW.numpy())
        times = {name: [] for name in runners}
        for _ in range(repeats):
            for name, run in runners.items():
                t = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t)
        peaks = {"dlcourse Conv2D": _backward_peak(ours, x, dout),
                 "textbook im2col": _backward_peak(book, x, dout)}

    print(f"x {x.shape} float64, W {W.shape}, pad 1, stride 1; {args.threads} thread(s), "
          f"{repeats} rounds")
    print(f"{'implementation':<18} {'median ms':>10} {'best ms':>8} {'backward peak MB':>17}")
    for name, ts in times.items():
        peak = f"{peaks[name] / 2 ** 20:17.1f}" if name in peaks else f"{'(not traced)':>17}"
        print(f"{name:<18} {statistics.median(ts) * 1e3:10.1f} {min(ts) * 1e3:8.1f} {peak}")
    med = {name: statistics.median(ts) for name, ts in times.items()}
    if args.quick:
        print("(quick run: the targets below are for the full batch of 100)")
    print(f"textbook / dlcourse: {med['textbook im2col'] / med['dlcourse Conv2D']:.2f}x "
          f"(target >= 1.5)")
    if torch is not None:
        print(f"dlcourse / torch: {med['dlcourse Conv2D'] / med['torch conv2d']:.2f}x (target <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
