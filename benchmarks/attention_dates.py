"""Time to 99% exact match on the date task: dlcourse's attention seq2seq against PyTorch.

    python benchmarks/attention_dates.py [--quick] [--models dot,additive,none,torch]
                                         [--limit 300] [--threads 1]

Every model trains on ``datasets.dates(n=20000, seed=0)`` (18,000 training and
2,000 test questions) with the chapter's settings: embeddings of 16, LSTMs of
64, minibatches of 64 questions of similar length, Adam (lr 5e-3), gradient
norm clipped at 5, float32. Every ``--every`` steps the whole test set is
decoded greedily; a run stops at ``--target`` exact match or after ``--limit``
seconds of training. Reported: the steps and the training seconds (evaluation
excluded) to the target, and the wall time including evaluation.

``torch`` is the same dot-attention model written with ``torch.nn.LSTM`` on the
same batches, with ``torch.set_num_threads(--threads)``; dlcourse's loop runs
with one BLAS thread (``threadpoolctl``), so keep ``--threads 1`` for a like
comparison. Without torch installed its row is skipped and said so.

The textbook's attention model (Deep Learning from Scratch 2, ch. 8: LSTMs of
256, batch 128, full-width batches) needs 7 epochs, about 14 minutes here.
"""
from __future__ import annotations

import argparse
import time

import numpy as np


def _data():
    from dlcourse import datasets

    return datasets.dates(n=20000, seed=0)


class _Clock:
    """Training time without the time spent evaluating."""

    def __init__(self):
        self.start, self.paused = time.perf_counter(), 0.0

    def train_seconds(self):
        return time.perf_counter() - self.start - self.paused


def run_dlcourse(score, args, data):
    from dlcourse import attention as A
    from dlcourse import optim, seq2seq

    extra = {"peeky": True, "reverse": True} if score == "none" else {}
    model = A.AttentionSeq2Seq(len(data.vocab), 16, 64, score=score, rng=args.seed, dtype=np.float32, **extra)
    clock, result = _Clock(), {"steps": None, "seconds": None, "acc": 0.0, "evals": []}

    def evaluate(step, history):
        t0 = time.perf_counter()
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            acc = seq2seq.exact_match(model, data.x_test, data.t_test, batch_size=2000)
        clock.paused += time.perf_counter() - t0
        seconds = clock.train_seconds()
        result["acc"] = acc
        result["evals"].append((step, seconds, acc))
        if args.verbose:
            print(f"    {score:<9} step {step:5d}  {seconds:6.1f} s  exact match {acc:.1%}", flush=True)
        if acc >= args.target and result["steps"] is None:
            result["steps"], result["seconds"] = step, seconds
        return acc >= args.target or seconds > args.limit

    A.fit(model, data.x_train, data.t_train, epochs=10 ** 6, batch_size=64, optimizer=optim.Adam(lr=5e-3),
          rng=args.seed, callback=evaluate, every=args.every)
    result["wall"] = time.perf_counter() - clock.start
    return result


def run_torch(args, data):
    import torch
    from torch import nn

    from dlcourse import attention as A

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    V, D, H = len(data.vocab), 16, 64

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc_embed, self.dec_embed = nn.Embedding(V, D), nn.Embedding(V, D)
            self.enc, self.dec = nn.LSTM(D, H, batch_first=True), nn.LSTM(D, H, batch_first=True)
            self.out = nn.Linear(2 * H, V)

        def encode(self, xs, lengths):
            hs, _ = self.enc(self.enc_embed(xs))                                   # (N, T, H)
            h0 = hs[torch.arange(len(xs)), (lengths - 1).clamp(min=0)]             # last real step
            mask = torch.arange(xs.shape[1])[None, :] < lengths[:, None]           # (N, T)
            return hs, mask, h0

        def decode(self, ys, hs, mask, state):
            ds, state = self.dec(self.dec_embed(ys), state)                        # (N, Td, H)
            scores = (ds @ hs.transpose(1, 2)).masked_fill(~mask[:, None, :], float("-inf"))
            context = torch.softmax(scores, dim=-1) @ hs
            return self.out(torch.cat([context, ds], dim=2)), state

    net = Net()
    with torch.no_grad():          # dlcourse's initial scales, so both start alike
        for emb in (net.enc_embed, net.dec_embed):
            emb.weight.normal_(0.0, 0.01)
        for lstm, fan_in in ((net.enc, D), (net.dec, D)):
            lstm.weight_ih_l0.normal_(0.0, fan_in ** -0.5)
            lstm.weight_hh_l0.normal_(0.0, H ** -0.5)
            lstm.bias_ih_l0.zero_()
            lstm.bias_hh_l0.zero_()
            lstm.bias_ih_l0[H:2 * H] = 1.0          # torch's gate order is i, f, g, o: forget bias 1
        net.out.weight.normal_(0.0, (2 * H) ** -0.5)
        net.out.bias.zero_()
    opt = torch.optim.Adam(net.parameters(), lr=5e-3)
    loss_fn = nn.CrossEntropyLoss()
    pad = data.vocab.pad
    x_tr, t_tr = data.x_train, data.t_train
    lengths_tr = A.sequence_lengths(x_tr, pad)

    def batch(x):
        lengths = torch.from_numpy(A.sequence_lengths(x, pad))
        return torch.from_numpy(x[:, :max(1, int(lengths.max()))]), lengths

    def exact_match():
        with torch.no_grad():
            xs, lengths = batch(data.x_test)
            hs, mask, h0 = net.encode(xs, lengths)
            y = torch.full((len(xs), 1), data.vocab.start)
            state, out = (h0[None], torch.zeros_like(h0)[None]), []
            for _ in range(data.t_test.shape[1] - 1):
                scores, state = net.decode(y, hs, mask, state)
                y = scores.argmax(dim=2)
                out.append(y)
            ids = torch.cat(out, dim=1).numpy()
        return float(np.mean(np.all(ids == data.t_test[:, 1:], axis=1)))

    rng = np.random.default_rng(args.seed)
    clock, result, step = _Clock(), {"steps": None, "seconds": None, "acc": 0.0, "evals": []}, 0
    while True:
        for idx in A.length_batches(lengths_tr, 64, rng):
            xs, lengths = batch(x_tr[idx])
            ts = torch.from_numpy(t_tr[idx])
            hs, mask, h0 = net.encode(xs, lengths)
            scores, _ = net.decode(ts[:, :-1], hs, mask, (h0[None], torch.zeros_like(h0)[None]))
            loss = loss_fn(scores.reshape(-1, V), ts[:, 1:].reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            step += 1
            if step % args.every == 0:
                t0 = time.perf_counter()
                acc = exact_match()
                clock.paused += time.perf_counter() - t0
                seconds = clock.train_seconds()
                result["acc"] = acc
                result["evals"].append((step, seconds, acc))
                if args.verbose:
                    print(f"    {'torch':<9} step {step:5d}  {seconds:6.1f} s  exact match {acc:.1%}", flush=True)
                if acc >= args.target:
                    result["steps"], result["seconds"] = step, seconds
                if acc >= args.target or seconds > args.limit:
                    result["wall"] = time.perf_counter() - clock.start
                    return result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="dot attention only, target 90%%, 60 s limit (a smoke test)")
    p.add_argument("--models", default="dot,additive,torch",
                   help="comma-separated: dot, additive, none (chapter 15's peeky model, reversed input), torch")
    p.add_argument("--target", type=float, default=0.99)
    p.add_argument("--limit", type=float, default=300.0, help="seconds of training per model")
    p.add_argument("--every", type=int, default=100, help="evaluate every this many steps")
    p.add_argument("--threads", type=int, default=1, help="torch threads (dlcourse uses 1 BLAS thread)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--verbose", action="store_true", help="print every evaluation")
    args = p.parse_args(argv)
    if args.quick:
        args.models, args.target, args.limit = "dot", 0.90, 60.0
    data = _data()
    print(f"dates: {len(data.x_train)} training, {len(data.x_test)} test questions; target "
          f"{args.target:.0%} exact match, at most {args.limit:.0f} s of training per model")
    print(f"{'model':<28} {'steps':>7} {'train s':>8} {'wall s':>8} {'best':>7}")
    names = {"dot": "dlcourse, dot attention", "additive": "dlcourse, additive attention",
             "none": "dlcourse, no attention", "torch": f"torch, dot ({args.threads} thread)"}
    for model in args.models.split(","):
        if model == "torch":
            try:
                import torch  # noqa: F401
            except ImportError:
                print(f"{names['torch']:<28} torch not installed: skipped")
                continue
            res = run_torch(args, data)
        else:
            res = run_dlcourse(model, args, data)
        steps = "-" if res["steps"] is None else str(res["steps"])
        secs = f">{args.limit:.0f}" if res["seconds"] is None else f"{res['seconds']:.1f}"
        best = max(a for _, _, a in res["evals"]) if res["evals"] else 0.0
        print(f"{names[model]:<28} {steps:>7} {secs:>8} {res['wall']:8.1f} {best:7.1%}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
