"""The package's layers: every import points down, and no two modules import each other.

The layers (docs/architecture.md), lowest first::

    validation  <  the library (topic modules, datasets, lessons, course)  <  experiments
                <  plots  <  widgets  <  notebooks

``grading`` sits above the library and beside the experiments: it may import
the library, never experiments, plots or widgets, and the library never
imports it. ``build``, ``cli`` and the pytest plugin are the top: nothing imports them, except
``__main__`` (which runs ``cli``) and ``cli`` (which runs ``build``). Inside
the library, ``lessons`` (chapter-only maths) may use the rest of the
library, but the rest of the library never uses a lesson.

Every ``import`` and ``from ... import`` statement counts, at module level or
inside a function (a function-local import is still a dependency, merely a
later one). Imports by name through ``importlib`` (the lazy re-exports of
``dlcourse``, ``plots``, ``widgets``, ``datasets``, and the grader's look-up of
forbidden references) are not import statements and are not counted.
"""
from __future__ import annotations

import ast
import shutil

import pytest

from conftest import ROOT

PACKAGE = ROOT / "dlcourse"

TOP = {"dlcourse.build", "dlcourse.cli", "dlcourse.__main__", "dlcourse.pytest_plugin"}
ALLOWED_TOP_IMPORTS = {("dlcourse.__main__", "dlcourse.cli"), ("dlcourse.cli", "dlcourse.build")}


def module_name(path, package=PACKAGE):
    """dlcourse/plots/cnn.py -> "dlcourse.plots.cnn"; a package's __init__.py -> the package."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path, modules, package=PACKAGE):
    """The dlcourse modules a file imports, anywhere in it: {module name: first line number}."""
    name = module_name(path, package)
    is_package = path.name == "__init__.py"
    found = {}

    def add(target, line):
        # "from dlcourse import layers" names a module; "from dlcourse.layers import Affine" a member
        while target not in modules and "." in target:
            target = target.rpartition(".")[0]
        if target in modules and target != name:
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:                           # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if not source.startswith("dlcourse"):
                continue
            for alias in node.names:
                add(f"{source}.{alias.name}", node.lineno)
    return found


def import_graph(package=PACKAGE):
    """{module: {imported module: line}} for every module of the package."""
    files = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    return {name: imports_of(path, files, package) for name, path in files.items()}


def layer_of(module):
    """The layer a module belongs to (see the module docstring)."""
    parts = module.split(".")
    sub = parts[1] if len(parts) > 1 else ""
    if module in TOP:
        return "top"
    if sub in ("experiments", "plots", "widgets", "grading", "validation", "lessons"):
        return sub
    return "library"


RANK = {"validation": 0, "library": 1, "lessons": 2, "experiments": 3, "grading": 3,
        "plots": 4, "widgets": 5, "top": 6}

MAY_IMPORT = {
    "validation": {"validation"},
    "library": {"validation", "library"},
    "lessons": {"validation", "library", "lessons"},
    "experiments": {"validation", "library", "lessons", "experiments"},
    "grading": {"validation", "library", "lessons", "grading"},
    "plots": {"validation", "library", "lessons", "experiments", "plots"},
    "widgets": {"validation", "library", "lessons", "experiments", "plots", "widgets"},
    "top": set(RANK),
}


def violations(graph):
    """Every import that breaks the layering, as readable strings."""
    bad = []
    for module, targets in sorted(graph.items()):
        for target, line in sorted(targets.items()):
            if target in TOP and (module, target) not in ALLOWED_TOP_IMPORTS:
                bad.append(f"{module} (line {line}) imports {target}: nothing may import build or cli")
            elif target == "dlcourse" and layer_of(module) != "top":
                bad.append(f"{module} (line {line}) imports the package itself; import the module it needs")
            elif layer_of(target) not in MAY_IMPORT[layer_of(module)]:
                bad.append(f"{module} (line {line}) imports {target}: "
                           f"{layer_of(module)} may not import {layer_of(target)}")
    return bad


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# --- the real package -------------------------------------------------------------------

@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_graph_sees_the_package(graph):
    assert {"dlcourse.layers", "dlcourse.models", "dlcourse.grading.core", "dlcourse.build"} <= set(graph)
    assert "dlcourse.layers" in graph["dlcourse.models"]              # models builds on layers
    assert "dlcourse.course" in graph["dlcourse.build"]


def test_no_import_points_upward(graph):
    assert violations(graph) == []


def test_no_import_cycle(graph):
    assert cycles(graph) == []


def test_every_module_has_a_layer(graph):
    for module in graph:
        assert layer_of(module) in RANK, module


# --- the checker itself can fail ---------------------------------------------------------

@pytest.fixture
def package_copy(tmp_path):
    """A throw-away copy of the package to plant bad imports in."""
    copy = tmp_path / "dlcourse"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _plant(path, line, where="top"):
    text = path.read_text(encoding="utf-8")
    if where == "top":
        path.write_text(line + "\n" + text, encoding="utf-8")
    else:                                       # inside a function, as a lazy import would be
        path.write_text(text + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")


def test_a_planted_upward_import_is_caught(package_copy):
    _plant(package_copy / "layers.py", "from dlcourse import plots", where="function")
    bad = violations(import_graph(package_copy))
    assert any(b.startswith("dlcourse.layers") and "imports dlcourse.plots" in b
               and "library may not import plots" in b for b in bad), bad


def test_a_planted_import_of_experiments_in_grading_is_caught(package_copy):
    _plant(package_copy / "grading" / "checks" / "ch01.py", "from dlcourse.experiments import perceptron")
    bad = violations(import_graph(package_copy))
    assert any("dlcourse.grading.checks.ch01" in b and "grading may not import experiments" in b
               for b in bad), bad


def test_a_planted_import_of_build_is_caught(package_copy):
    _plant(package_copy / "grading" / "generate.py", "from dlcourse.build import execute", where="function")
    bad = violations(import_graph(package_copy))
    assert any("dlcourse.grading.generate" in b and "nothing may import build" in b for b in bad), bad


def test_a_planted_cycle_is_caught(package_copy):
    _plant(package_copy / "functions.py", "from dlcourse import layers", where="function")
    found = cycles(import_graph(package_copy))
    assert any({"dlcourse.functions", "dlcourse.layers"} <= set(c) for c in found), found


def test_relative_imports_are_resolved(package_copy):
    _plant(package_copy / "experiments" / "intro.py", "from ..plots import figure_to_png", where="function")
    graph = import_graph(package_copy)
    assert "dlcourse.plots" in graph["dlcourse.experiments.intro"] or any(
        t.startswith("dlcourse.plots") for t in graph["dlcourse.experiments.intro"])
    assert any("experiments may not import plots" in b for b in violations(graph))
