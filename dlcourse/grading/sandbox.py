"""Run a submission's code in a separate, restricted process and call into it.

The grader never runs a learner's code in its own process. A child process
(``python -m dlcourse.grading.sandbox``) executes the notebook's cells; the
checks run in the grader and reach the learner's functions through
:class:`Remote` proxies. Every call crosses a pipe, so:

* monkeypatching ``check``, numpy or dlcourse inside the submission changes
  only the child; references and comparisons are computed in the grader;
* a call that hangs is cut off by a time limit and the child restarted;
* a crash (``os._exit``, a segfault, memory exhaustion) ends only the child.

Values cross the pipe in a safe encoding (JSON; numeric arrays as base64
bytes, never pickle); anything else stays in the child and comes back as a
:class:`Remote` handle. Array arguments changed in place by the learner's
code are copied back, so a check can still see an in-place edit.

Inside the child an audit hook refuses to open files of other submissions or
of the instructor's ``solutions/``, to write outside the sandbox folder, to
start processes, to open network connections and to load C code through
ctypes. Memory (address space) and CPU time are capped with ``resource``.
"""
from __future__ import annotations

import base64
import builtins
import json
import os
import select
import struct
import subprocess
import sys
import time

import numpy as np

__all__ = ["Sandbox", "Remote", "SandboxError", "SandboxTimeout", "SandboxDied", "encode", "decode"]

MAX_MESSAGE = 64 * 1024 * 1024
"""The largest reply the grader reads (bytes); a longer one counts as a crash."""


class SandboxError(Exception):
    """The child could not answer (it died, timed out or spoke nonsense)."""


class SandboxTimeout(SandboxError):
    pass


class SandboxDied(SandboxError):
    pass


# --- the wire format ----------------------------------------------------------------
# A value is encoded as JSON. Arrays: {"__nd__": dtype, "shape": [...], "data": base64}.
# Tuples: {"__tuple__": [...]}. Handles to child objects: {"__ref__": id, "kind": str}.

_NUMERIC_KINDS = "biufc"


def encode(value, keep=None):
    """Encode ``value`` for the wire. ``keep(obj) -> id`` stores what cannot be encoded (child side)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not np.isfinite(value):
            return {"__float__": repr(value)}
        return value
    if isinstance(value, np.generic) and value.dtype.kind in _NUMERIC_KINDS:
        return encode(np.asarray(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in _NUMERIC_KINDS:
        a = np.array(value, order="C")  # (ascontiguousarray would turn 0-d into 1-d)
        return {"__nd__": a.dtype.str, "shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode()}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, keep) for v in value]}
    if isinstance(value, list):
        return [encode(v, keep) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v, keep) for k, v in value.items()}}
    if keep is None:
        raise TypeError(f"cannot send a {type(value).__name__} to the sandbox")
    return {"__ref__": keep(value), "kind": type(value).__name__}


def decode(data, ref=None):
    """Inverse of :func:`encode`; ``ref(id, kind)`` builds a handle (grader side) or looks one up (child side)."""
    if isinstance(data, list):
        return [decode(v, ref) for v in data]
    if not isinstance(data, dict):
        return data
    if "__nd__" in data:
        dtype = np.dtype(data["__nd__"])
        if dtype.kind not in _NUMERIC_KINDS:
            raise SandboxError(f"refused array of dtype {dtype}")
        shape = tuple(int(s) for s in data["shape"])
        raw = base64.b64decode(data["data"])
        if len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
            raise SandboxError("array size does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    if "__tuple__" in data:
        return tuple(decode(v, ref) for v in data["__tuple__"])
    if "__dict__" in data:
        return {k: decode(v, ref) for k, v in data["__dict__"].items()}
    if "__float__" in data:
        return float(data["__float__"])
    if "__ref__" in data:
        if ref is None:
            raise SandboxError("unexpected object handle")
        return ref(int(data["__ref__"]), str(data.get("kind", "object")))
    raise SandboxError("unknown value on the wire")


def _send(fd, obj):
    payload = json.dumps(obj).encode()
    os.write(fd, struct.pack("!I", len(payload)))
    view = memoryview(payload)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _recv(fd, deadline=None):
    def read_exact(n):
        chunks, got = [], 0
        while got < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise SandboxTimeout("no answer in time")
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise SandboxDied("the sandbox process ended")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    (n,) = struct.unpack("!I", read_exact(4))
    if n > MAX_MESSAGE:
        raise SandboxDied(f"reply of {n} bytes is too large")
    try:
        return json.loads(read_exact(n))
    except ValueError as exc:
        raise SandboxDied("garbled reply") from exc


# --- the grader's side ------------------------------------------------------------------

_BUILTIN_ERRORS = {name: obj for name, obj in vars(builtins).items()
                   if isinstance(obj, type) and issubclass(obj, Exception)}


def _remote_exception(name, message):
    """An exception of the child's type name, raised in the grader (NotImplementedError stays itself)."""
    cls = _BUILTIN_ERRORS.get(name)
    if cls is None:
        cls = type(str(name)[:60] or "Error", (Exception,), {})
    try:
        return cls(message)
    except Exception:
        return Exception(f"{name}: {message}")


class Remote:
    """A handle to an object that lives in the sandbox; calling it calls the object there."""

    __slots__ = ("_box", "_id", "_kind")

    def __init__(self, box, ref_id, kind):
        object.__setattr__(self, "_box", box)
        object.__setattr__(self, "_id", ref_id)
        object.__setattr__(self, "_kind", kind)

    def __call__(self, *args, **kwargs):
        value, after = self._box._request("call", self._id, args=args, kwargs=kwargs, with_args=True)
        _copy_back(list(args), after)  # in-place edits of array arguments come back
        return value

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._box._request("getattr", self._id, name=name)

    def __setattr__(self, name, value):
        self._box._request("setattr", self._id, name=name, value=value)

    def __repr__(self):
        return f"<{self._kind} in the sandbox>"


def _copy_back(original, after):
    """Copy arrays changed in the sandbox into the caller's arrays, also inside lists and tuples."""
    if isinstance(original, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == original.shape and original.flags.writeable:
            original[...] = after
    elif isinstance(original, (list, tuple)) and isinstance(after, (list, tuple)):
        for o, a in zip(original, after):
            _copy_back(o, a)


def _arrays_only(value):
    """The arrays of an argument, keeping list/tuple structure (None elsewhere)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        return [_arrays_only(v) for v in value]
    return None


class Sandbox:
    """A child process holding one submission's code.

    Parameters
    ----------
    workdir : path
        The child's current folder; it may write only here.
    deny : list of paths
        Folders the child may not open at all (other submissions, solutions/).
    call_timeout : float
        Seconds allowed for one call (and for each cell run by :meth:`run`).
    memory_mb : int
        Address-space limit of the child.
    """

    def __init__(self, workdir, deny=(), call_timeout=10.0, memory_mb=4096, forbid=()):
        self.workdir, self.deny = str(workdir), [os.path.realpath(d) for d in deny]
        self.call_timeout, self.memory_mb, self.forbid = call_timeout, memory_mb, list(forbid)
        self.proc = None

    # lifecycle
    def start(self):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        config = {"workdir": self.workdir, "deny": self.deny, "forbid": self.forbid,
                  "memory_mb": self.memory_mb, "cpu_seconds": int(self.call_timeout * 60) + 60,
                  "fds": [to_child_r, from_child_w]}
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH")}
        env.update(MPLBACKEND="Agg", MPLCONFIGDIR=self.workdir, OMP_NUM_THREADS="1",
                   OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if key in os.environ:
                env[key] = os.environ[key]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dlcourse.grading.sandbox", json.dumps(config)],
            cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, pass_fds=(to_child_r, from_child_w), start_new_session=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self._w, self._r = to_child_w, from_child_r
        self._request("ping", 0, timeout=60)  # imports numpy & co.
        return self

    def close(self):
        if self.proc is None:
            return
        for fd in (self._w, self._r):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                self.proc.kill()
        self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # requests
    def _request(self, op, ref_id, timeout=None, with_args=False, **payload):
        if not self.alive:
            raise SandboxDied("the sandbox is not running")
        payload = {k: encode(v) for k, v in payload.items()}
        try:
            _send(self._w, {"op": op, "id": ref_id, **payload})
            reply = _recv(self._r, time.monotonic() + (timeout or self.call_timeout))
        except SandboxError:
            self.close()
            raise
        except OSError as exc:
            self.close()
            raise SandboxDied(f"the sandbox process ended ({type(exc).__name__})") from exc
        if not isinstance(reply, dict):
            self.close()
            raise SandboxDied("garbled reply")
        if "error" in reply:
            raise _remote_exception(str(reply["error"]), str(reply.get("message", ""))[:500])
        as_remote = lambda i, kind: Remote(self, i, kind)  # noqa: E731
        value = decode(reply.get("value"), ref=as_remote)
        if with_args:
            return value, decode(reply.get("args_after"), ref=as_remote)
        return value

    def run(self, cells):
        """Execute cells ``[(label, source), ...]`` in order; returns ``{label: error message or ""}``."""
        return self._request("run", 0, cells=[[label, src] for label, src in cells],
                             timeout=self.call_timeout * max(1, len(cells)))

    def lookup(self, name):
        """A :class:`Remote` for a global name of the submission, or None if it is not defined."""
        return self._request("lookup", 0, name=name)

    def forbidden_hits(self):
        """Names of forbidden references the submission called since the last :meth:`reset_hits`."""
        return self._request("hits", 0)

    def reset_hits(self):
        self._request("reset_hits", 0)


# --- the child's side -----------------------------------------------------------------------

def _child_main(config):  # pragma: no cover - runs in the sandbox process
    import resource
    import signal
    import traceback  # noqa: F401  (kept importable for learner code)

    r_fd, w_fd = config["fds"]
    workdir = os.path.realpath(config["workdir"])
    mem = int(config["memory_mb"]) * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (config["cpu_seconds"], config["cpu_seconds"]))
        resource.setrlimit(resource.RLIMIT_FSIZE, (50 * 1024 * 1024, 50 * 1024 * 1024))
    except (ValueError, OSError):
        pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    # warm imports before the hook, so they are never blocked
    import matplotlib

    matplotlib.use("Agg")
    import dlcourse.grading.checks  # noqa: F401  (and with it numpy and the reference modules)

    sys.stdout = sys.stderr = _CappedText(1 << 20)

    objects, hits, originals = {}, [], {}

    def keep(obj):
        objects[id(obj)] = obj
        return id(obj)

    def find(i, kind):
        if i not in objects:
            raise KeyError("unknown handle")
        return objects[i]

    # The dispatcher below uses these, never the builtins the submission may replace.
    _sorted, _set, _isinstance, _issubclass, _type = sorted, set, isinstance, issubclass, type
    _isfile, _getframe = os.path.isfile, sys._getframe
    library_files = {}

    def from_submission(frame):
        # Calls from the submission's cells count, and from any code not read from a real file
        # (compile(src, "mine.py", ...)); library building blocks that use the reference
        # internally stay allowed.
        name = frame.f_code.co_filename
        if name.startswith("<cell"):
            return True
        if name not in library_files:
            library_files[name] = _isfile(name) and not os.path.realpath(name).startswith(workdir + "/")
        return not library_files[name]

    # tripwires: forbidden references record when the learner calls (or builds) them
    for dotted in config.get("forbid", []):
        module_name, _, attr = dotted.rpartition(".")
        try:
            module = __import__(module_name, fromlist=[attr])
            original = getattr(module, attr)
        except (ImportError, AttributeError):
            continue
        if isinstance(original, type):
            # a class stays a class (a submission may subclass it): a subclass that records
            # every instance the submission builds
            def class_wire(original=original, dotted=dotted):
                class Wire(original):
                    def __init__(self, *a, **k):
                        if from_submission(_getframe(1)):
                            hits.append(dotted)
                        super().__init__(*a, **k)

                Wire.__name__, Wire.__qualname__ = original.__name__, original.__qualname__
                Wire.__module__, Wire.__doc__ = original.__module__, original.__doc__
                return Wire

            tripwire = class_wire()
        else:
            def tripwire(*a, _orig=original, _name=dotted, **k):
                if from_submission(_getframe(1)):
                    hits.append(_name)
                return _orig(*a, **k)

        setattr(module, attr, tripwire)
        for value in list(vars(module).values()):  # registries such as {"sigmoid": Sigmoid}
            if isinstance(value, dict):
                for key, item in list(value.items()):
                    if item is original:
                        value[key] = tripwire
        originals[dotted] = (original, tripwire)

    deny = [d.rstrip("/") + "/" for d in config["deny"]]
    allowed_writes = (workdir + "/", "/dev/null")

    def audit(event, args):
        if event == "open":
            path, mode = args[0], args[1]
            if isinstance(path, int) or path is None:
                return
            real = os.path.realpath(os.fsdecode(path))
            if any((real + "/").startswith(d) for d in deny):
                raise PermissionError(f"the grader does not let a submission read {real}")
            writing = isinstance(mode, str) and any(c in mode for c in "wax+")
            if not writing and isinstance(args[2], int):
                writing = bool(args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC))
            if writing and not (real.startswith(allowed_writes[0]) or real == allowed_writes[1]):
                raise PermissionError(f"the grader does not let a submission write {real}")
        elif event in ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn",
                       "os.fork", "os.forkpty", "ctypes.dlopen", "socket.connect", "socket.bind",
                       "os.kill", "os.killpg", "pty.spawn"):
            raise PermissionError(f"the grader does not let a submission use {event}")
        elif event in ("os.remove", "os.rename", "os.rmdir", "os.unlink", "shutil.rmtree", "os.chmod",
                       "os.chown", "os.truncate", "os.symlink", "os.link", "os.mkdir"):
            target = args[0] if args else ""
            if isinstance(target, (str, bytes, os.PathLike)):
                real = os.path.realpath(os.fsdecode(target))
                if not real.startswith(allowed_writes[0]):
                    raise PermissionError(f"the grader does not let a submission change {real}")

    sys.addaudithook(audit)
    namespace = {"__name__": "__main__", "__builtins__": builtins}

    def reply(obj):
        _send(w_fd, obj)

    while True:
        try:
            msg = _recv(r_fd)
        except SandboxError:
            os._exit(0)
        op = msg.get("op")
        try:
            if op == "ping":
                reply({"value": "pong"})
            elif op == "run":
                errors = {}
                for label, src in decode(msg["cells"]):
                    errors[label] = ""
                    try:
                        exec(compile(_strip_magics(src), f"<cell {label}>", "exec"), namespace)
                    except BaseException as exc:  # noqa: BLE001  (a learner's cell may raise anything)
                        if _isinstance(exc, (KeyboardInterrupt, SystemExit)):
                            exc = RuntimeError(f"{_type(exc).__name__} in a cell")
                        errors[label] = f"{_type(exc).__name__}: {_message(exc, 200)}"
                hits.clear()
                reply({"value": encode({k: v for k, v in errors.items()})})
            elif op == "lookup":
                name = decode(msg["name"])
                obj = namespace.get(name)
                for dotted, (ref, wire) in originals.items():  # the answer *is* the reference, renamed
                    if obj is ref or obj is wire or (_isinstance(obj, type) and _isinstance(ref, type)
                                                     and _issubclass(obj, ref)):
                        hits.append(dotted)
                reply({"value": encode(obj, keep) if name in namespace else None})
            elif op == "call":
                target = find(msg["id"], "") if msg["id"] else None
                args = decode(msg["args"], find)
                kwargs = decode(msg["kwargs"], find)
                out = target(*args, **kwargs)
                reply({"value": encode(out, keep), "args_after": encode(_arrays_only(list(args)), keep)})
            elif op == "getattr":
                reply({"value": encode(getattr(find(msg["id"], ""), decode(msg["name"])), keep)})
            elif op == "setattr":
                setattr(find(msg["id"], ""), decode(msg["name"]), decode(msg["value"], find))
                reply({"value": None})
            elif op == "hits":
                reply({"value": _sorted(_set(hits))})
            elif op == "reset_hits":
                hits.clear()
                reply({"value": None})
            else:
                reply({"error": "ValueError", "message": f"unknown op {op!r}"})
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, SandboxError):
                os._exit(0)
            name = _type(exc).__name__ if not _isinstance(exc, (KeyboardInterrupt, SystemExit)) else "RuntimeError"
            try:
                reply({"error": name, "message": _message(exc, 500)})
            except Exception:
                os._exit(1)


def _message(exc, limit):
    """``str(exc)``, cut to ``limit``; an exception whose ``__str__`` itself raises says so."""
    try:
        return str(exc)[:limit]
    except BaseException:  # noqa: BLE001
        return "(its message could not be read)"


def _strip_magics(src):
    """IPython magics and shell escapes cannot run outside IPython: drop those lines."""
    return "\n".join("pass  # (magic removed)" if line.lstrip().startswith(("%", "!")) else line
                     for line in src.splitlines())


class _CappedText(object):
    """A write-only text sink that keeps at most ``limit`` characters (the rest is dropped)."""

    def __init__(self, limit):
        self.limit, self.size, self.parts = limit, 0, []

    def write(self, s):
        if self.size < self.limit:
            self.parts.append(s[: self.limit - self.size])
        self.size += len(s)
        return len(s)

    def flush(self):
        pass

    def isatty(self):
        return False


if __name__ == "__main__":  # pragma: no cover
    _child_main(json.loads(sys.argv[1]))
