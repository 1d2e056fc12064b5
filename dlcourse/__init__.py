"""dlcourse: an interactive, from-scratch deep learning course in numpy.

The package is the course's library. Topic modules hold the maths
(``gates``, ``functions``, ``gradients``, ...), ``experiments`` reproduces the
slide experiments, ``plots`` and ``widgets`` show them, and ``grading`` checks
learners' exercises. Submodules load on first use, so ``import dlcourse``
stays fast and pulls in no Jupyter machinery.
"""
from dlcourse._lazy import lazy_submodules

__version__ = "0.1.0"

__all__, __getattr__, __dir__ = lazy_submodules(__name__, __path__, extra=["__version__"])
