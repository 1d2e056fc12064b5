"""Where ``dlcourse grade`` does its work: on a Dask cluster, or in threads of this process.

::

    dlcourse grade SUBS/ --jobs 2                        # an embedded LocalCluster of 2 workers
    dlcourse grade SUBS/ --scheduler tcp://host:8786     # a cluster that is already running
    dlcourse grade SUBS/ --scheduler threads             # no Dask: threads in this process

One submission is one task: :func:`dlcourse.grading.grade.grade_submission`
called with the chapter's grading plan (a few kilobytes of code and check
names, never the instructor's files) and the submission's bytes. A worker needs
the same ``dlcourse`` installed and nothing else; it starts each submission's
sandbox as a child process of its own.

Only this process writes the journal, one line per grade that came back, so a
worker that dies mid-task loses nothing: Dask gives the task to another worker
(up to ``distributed.scheduler.allowed-failures`` times, 3 by default) and the
grade is journalled once, when it arrives. At most a few tasks per worker are in
flight, so memory stays flat however large the class.
"""
from __future__ import annotations

import contextlib
import logging
import queue
import uuid

__all__ = ["THREADS", "open_runner", "ThreadRunner", "DaskRunner"]

THREADS = "threads"
"""``--scheduler threads``: grade in threads of this process (no Dask; debugging, tiny classes)."""

IN_FLIGHT_PER_WORKER = 4


class _Runner:
    """Runs ``func(*args)`` for a stream of ``(key, args)`` and yields ``(key, result, error)``
    as each finishes, in the order they finish."""

    workers = 1

    def submit(self, func, key, args):
        raise NotImplementedError

    def run(self, func, items):
        done = queue.Queue()
        keys, items = {}, iter(items)

        def feed():
            for key, args in items:
                fut = self.submit(func, key, args)
                keys[id(fut)] = key
                fut.add_done_callback(done.put)
                return True
            return False

        in_flight = 0
        for _ in range(max(8, IN_FLIGHT_PER_WORKER * self.workers)):
            in_flight += feed()
        while in_flight:
            try:
                fut = done.get(timeout=0.2)  # a timeout keeps Ctrl-C responsive
            except queue.Empty:
                continue
            in_flight -= 1
            try:
                result, error = fut.result(), None
            except Exception as exc:  # a task that failed for good (e.g. it killed 3 workers)
                result, error = None, exc
            yield keys.pop(id(fut)), result, error
            in_flight += feed()

    def interrupt(self):
        """Ctrl-C: stop starting tasks; return once nothing of ours is still running."""

    def close(self):
        pass


class ThreadRunner(_Runner):
    """Threads in this process; each task's sandbox is still a process of its own."""

    def __init__(self, jobs=1):
        from concurrent.futures import ThreadPoolExecutor

        self.workers = max(1, int(jobs))
        self.pool = ThreadPoolExecutor(max_workers=self.workers)

    def submit(self, func, key, args):
        return self.pool.submit(func, *args)

    def interrupt(self):
        self.pool.shutdown(wait=True, cancel_futures=True)

    def close(self):
        self.pool.shutdown()


class DaskRunner(_Runner):
    """Tasks on a Dask cluster: an existing one at ``scheduler``, or a LocalCluster of ``jobs`` workers."""

    def __init__(self, scheduler=None, jobs=1, log=print):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        self._token = uuid.uuid4().hex[:8]
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise ConnectionError(f"no Dask scheduler answered at {scheduler!r} ({exc}); start one with "
                                      "`dask scheduler` and workers with `dask worker ADDRESS`") from None
            _same_dlcourse(self.client)
        else:
            self.cluster = LocalCluster(n_workers=max(1, int(jobs)), threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))
        if scheduler:
            log(f"grading on {self.workers} Dask worker(s) at {scheduler}")

    def submit(self, func, key, args):
        # pure=False and a per-run token: a resubmitted student is graded again, never served
        # a result another run left on a shared scheduler
        return self.client.submit(func, *args, key=f"grade-{key}-{self._token}", pure=False)

    def interrupt(self):
        with contextlib.suppress(Exception):
            self.client.cancel(list(self.client.futures.values()), force=True)

    def close(self):
        with contextlib.suppress(Exception):
            self.client.close(timeout=10)
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close(timeout=10)


def _dlcourse_version():
    from importlib.metadata import version

    return version("dlcourse")


def _same_dlcourse(client):
    """Refuse a cluster whose workers run another dlcourse: their checks would grade differently."""
    mine = _dlcourse_version()
    try:
        theirs = client.run(_dlcourse_version)
    except Exception as exc:  # dlcourse missing on a worker
        raise RuntimeError(f"a Dask worker cannot import dlcourse ({type(exc).__name__}: {exc}); "
                           "install the course on every worker (pip install -e .)") from None
    other = {addr: v for addr, v in theirs.items() if v != mine}
    if other:
        raise RuntimeError(f"Dask workers run another dlcourse than this one ({mine}): {other}")


@contextlib.contextmanager
def open_runner(scheduler=None, jobs=1, log=print):
    """The runner for ``--scheduler``: None starts a LocalCluster of ``jobs`` workers,
    ``"threads"`` uses threads here, anything else is a scheduler's address."""
    if scheduler == THREADS:
        runner = ThreadRunner(jobs)
    else:
        logging.getLogger("distributed").setLevel(logging.ERROR)
        runner = DaskRunner(scheduler, jobs, log)
    try:
        yield runner
    finally:
        runner.close()
