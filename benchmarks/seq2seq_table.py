"""The textbook's seq2seq table on addition: baseline, reversed input, peeky + reversed.

    python benchmarks/seq2seq_table.py [--quick] [--models baseline,reversed,peeky]
                                       [--epochs 25] [--torch time|full|off] [--threads 1]

Protocol of Deep Learning from Scratch 2, ch. 7: 50,000 three-digit addition
problems ("16+75" -> "91"), 45,000 for training and 5,000 for testing
(``datasets.addition(seed=0)``: distinct problems, so no test question is seen
in training), word vectors D = 16, hidden H = 128, batch 128, Adam lr 1e-3,
gradient-norm clipping at 5, 25 epochs, float32. Reported: exact match of the
whole greedy answer on the test set after the last epoch (the textbook reaches
about 10%, 43% and 98% for the three models), and seconds per epoch.

PyTorch, when installed, trains the same three architectures (nn.Embedding,
nn.LSTM, nn.Linear; its own initialisation) with the same data order, batch,
optimiser and clipping and the same thread count: ``--torch time`` (default)
runs one epoch per model for the speed ratio, ``--torch full`` the whole
protocol for accuracy too. ``--quick`` runs 2 epochs on 5,000 problems.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

TEXTBOOK = {"baseline": 0.10, "reversed": 0.43, "peeky": 0.98}
VARIANTS = {"baseline": (False, False), "reversed": (True, False), "peeky": (True, True)}


def run_dlcourse(data, variant, epochs, H, D, batch, lr, seed=0, log=print):
    from dlcourse import optim
    from dlcourse import seq2seq as S

    reverse, peeky = VARIANTS[variant]
    flip = (lambda x: x[:, ::-1]) if reverse else (lambda x: x)
    model = S.Seq2Seq(len(data.vocab), D, H, rng=seed, dtype=np.float32, peeky=peeky)
    opt, times = optim.Adam(lr), []

    def tick(epoch, hist):
        times.append(time.perf_counter() - start[0])
        log(f"  dlcourse {variant:<9} epoch {epoch + 1:>2}: loss {hist['loss'][-1]:.4f}, "
            f"test exact match {hist['test_acc'][-1]:.1%} ({times[-1]:.1f} s)")
        start[0] = time.perf_counter()

    start = [time.perf_counter()]
    hist = S.fit(model, flip(data.x_train), data.t_train, flip(data.x_test), data.t_test,
                 epochs=epochs, batch_size=batch, optimizer=opt, max_grad=5.0, rng=seed,
                 callback=tick)
    return hist["test_acc"], times     # times include the per-epoch test evaluation


def _torch_model(V, D, H, peeky):
    import torch
    from torch import nn

    class TorchSeq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc_embed, self.dec_embed = nn.Embedding(V, D), nn.Embedding(V, D)
            self.enc = nn.LSTM(D, H, batch_first=True)
            self.dec = nn.LSTM(D + H * peeky, H, batch_first=True)
            self.out = nn.Linear(H * (1 + peeky), V)

        def encode(self, xs):
            _, (h, _) = self.enc(self.enc_embed(xs))
            return h                                              # (1, N, H)

        def decode(self, ys, h, state):
            e = self.dec_embed(ys)                                # (N, T, D)
            hr = h[0][:, None, :].expand(-1, ys.shape[1], -1)     # (N, T, H)
            hs, state = self.dec(torch.cat([hr, e], 2) if peeky else e, state)
            return self.out(torch.cat([hr, hs], 2) if peeky else hs), state

        def forward(self, xs, ys):
            h = self.encode(xs)
            return self.decode(ys, h, (h, torch.zeros_like(h)))[0]

        @torch.no_grad()
        def generate(self, xs, start, length):
            h = self.encode(xs)
            state, y, out = (h, torch.zeros_like(h)), torch.full((len(xs), 1), start), []
            for _ in range(length):
                scores, state = self.decode(y, h, state)
                y = scores.argmax(2)
                out.append(y)
            return torch.cat(out, 1)

    return TorchSeq2Seq()


def run_torch(data, variant, epochs, H, D, batch, lr, seed=0, log=print):
    import torch

    torch.manual_seed(seed)
    reverse, peeky = VARIANTS[variant]
    flip = (lambda x: x[:, ::-1]) if reverse else (lambda x: x)
    model = _torch_model(len(data.vocab), D, H, peeky)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    X, T = torch.from_numpy(flip(data.x_train).copy()), torch.from_numpy(data.t_train)
    Xt, Tt = torch.from_numpy(flip(data.x_test).copy()), torch.from_numpy(data.t_test)
    rng, times, accs = np.random.default_rng(seed), [], []
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = torch.from_numpy(rng.permutation(len(X)))
        for k in range(0, len(X), batch):
            idx = order[k:k + batch]
            opt.zero_grad()
            scores = model(X[idx], T[idx, :-1])
            loss = loss_fn(scores.reshape(-1, scores.shape[-1]), T[idx, 1:].reshape(-1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        ids = model.generate(Xt, data.vocab.start, Tt.shape[1] - 1)
        accs.append(float((ids == Tt[:, 1:]).all(1).double().mean()))
        times.append(time.perf_counter() - t0)
        log(f"  torch    {variant:<9} epoch {epoch + 1:>2}: loss {loss.item():.4f}, "
            f"test exact match {accs[-1]:.1%} ({times[-1]:.1f} s)")
    return accs, times


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="2 epochs on 5,000 problems")
    p.add_argument("--models", default="baseline,reversed,peeky")
    p.add_argument("--epochs", type=int, default=None, help="default 25 (2 with --quick)")
    p.add_argument("--torch", choices=("time", "full", "off"), default="time")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--quiet", action="store_true", help="no per-epoch lines")
    args = p.parse_args(argv)
    from threadpoolctl import threadpool_limits

    from dlcourse import datasets

    n, epochs = (5000, 2) if args.quick else (50000, 25)
    epochs = args.epochs or epochs
    cfg = dict(H=128, D=16, batch=128, lr=1e-3)
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    data = datasets.addition(n=n, seed=0, max_digits=3)
    print(f"addition: {len(data.x_train)} train / {len(data.x_test)} test, H = {cfg['H']}, "
          f"D = {cfg['D']}, batch {cfg['batch']}, Adam lr {cfg['lr']:g}, clip 5, {epochs} epochs, "
          f"{args.threads} thread(s)", flush=True)
    try:
        import torch
        torch.set_num_threads(args.threads)
        torch_note = f"torch {torch.__version__}"
    except ImportError:
        torch, torch_note = None, "torch not installed: skipped"
    if args.torch == "off":
        torch, torch_note = None, "torch: off"
    rows = []
    for variant in args.models.split(","):
        with threadpool_limits(limits=args.threads):
            accs, times = run_dlcourse(data, variant, epochs, log=log, **cfg)
        row = [variant, TEXTBOOK[variant], accs[-1], np.mean(accs[-3:]), statistics.median(times),
               None, None]
        if torch is not None:
            t_epochs = epochs if args.torch == "full" else 1
            t_accs, t_times = run_torch(data, variant, t_epochs, log=log, **cfg)
            row[5:] = [t_accs[-1] if args.torch == "full" else None, statistics.median(t_times)]
        rows.append(row)
    print(f"\n{'model':<10} {'textbook':>9} {'dlcourse':>9} {'last 3':>7} {'s/epoch':>8} "
          f"{'torch':>7} {'s/epoch':>8} {'ratio':>6}   ({torch_note})")
    for variant, book, acc, acc3, sec, t_acc, t_sec in rows:
        t_a = f"{t_acc:7.1%}" if t_acc is not None else f"{'-':>7}"
        t_s = f"{t_sec:8.1f}" if t_sec is not None else f"{'-':>8}"
        ratio = f"{sec / t_sec:6.1f}" if t_sec else f"{'-':>6}"
        print(f"{variant:<10} {book:9.0%} {acc:9.1%} {acc3:7.1%} {sec:8.1f} {t_a} {t_s} {ratio}")
    print("exact match of the whole answer on the test set after the last epoch (last 3: mean "
          "over the last three epochs, the curves are noisy); s/epoch includes the test evaluation")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
