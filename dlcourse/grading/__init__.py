"""Grading: the check registry, ``check(...)`` for notebooks, exercise
generation and class grading.

``dlcourse.grading`` depends on the rest of the package, never the other way
round. Learners only ever call :func:`check`.
"""
from dlcourse.grading.core import (  # noqa: F401
    Checker,
    CheckFailed,
    CheckResult,
    check,
    get_check,
    register,
    registered_checks,
    run_check,
)

__all__ = [
    "check", "run_check", "register", "registered_checks", "get_check",
    "Checker", "CheckResult", "CheckFailed",
]
