"""Typical wrong answers for every registered check: each must FAIL.

Each ``tests/mutants_chNN*.py`` module defines ``MUTANTS``, a dict from check
name to a list of (what is wrong, wrong answer). This module merges them.
Every check needs at least three (test_checks_proven.py enforces it).
"""
import importlib
from pathlib import Path

MUTANTS = {}
for _path in sorted(Path(__file__).parent.glob("mutants_ch*.py")):
    _module = importlib.import_module(_path.stem)
    _clash = set(MUTANTS) & set(_module.MUTANTS)
    assert not _clash, f"{_path.name} redefines mutants for {sorted(_clash)}"
    MUTANTS.update(_module.MUTANTS)
