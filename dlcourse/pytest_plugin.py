"""A pytest plugin (registered in pyproject.toml) that makes nbval's kernels compute reproducibly.

nbval starts a kernel per notebook with this process's environment, so the
variables of :data:`dlcourse.course.REPRODUCIBLE_ENV` set here reach every
kernel, whichever way pytest is started (``make test``, or the instructors'
``pytest --nbval ... notebooks/ solutions/``). They are set when pytest
configures itself, before any test imports numpy, so the tests' own process
computes the same way too. A variable that is already set is left as it is.

Nothing imports this module; pytest loads it through its ``pytest11`` entry point.
"""
import os

from dlcourse.course import reproducible_env


def pytest_configure(config):
    for name, value in reproducible_env().items():
        os.environ.setdefault(name, value)
