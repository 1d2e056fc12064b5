"""dlcourse: an interactive, from-scratch deep learning course in numpy.

The package is the course's library. Topic modules hold the maths
(``gates``, ``functions``, ``gradients``, ...), ``experiments`` reproduces the
slide experiments, ``plots`` and ``widgets`` show them, and ``grading`` checks
learners' exercises. Submodules load on first use, so ``import dlcourse``
stays fast and pulls in no Jupyter machinery.
"""
import pkgutil
from importlib import import_module

__version__ = "0.1.0"

_SUBMODULES = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'dlcourse' has no attribute {name!r}")


def __dir__():
    return __all__
