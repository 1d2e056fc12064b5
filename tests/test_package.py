"""Packaging: import dlcourse stays light, and the console script exists."""
import json
import subprocess
import sys

import pytest


def test_import_is_light():
    code = ("import sys, dlcourse, dlcourse.functions, dlcourse.gates, dlcourse.gradients;"
            "heavy = [m for m in ('IPython', 'ipywidgets', 'jupyter_client', 'nbformat', 'matplotlib', 'tqdm')"
            " if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_lazy_submodules():
    import dlcourse

    assert dlcourse.gates.AND(1, 1) == 1
    try:
        dlcourse.nonexistent
    except AttributeError as exc:
        assert "nonexistent" in str(exc)
    else:
        raise AssertionError("unknown attributes must raise AttributeError")


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "dlcourse", "--help"], capture_output=True, text=True).stdout
    for command in ("build", "generate", "grade", "checks"):
        assert command in out


def test_reproducible_env_agrees_with_the_makefile():
    """The Makefile exports the same pinning variables as dlcourse.course (for make lab)."""
    import re

    from conftest import ROOT
    from dlcourse.course import REPRODUCIBLE_ENV, reproducible_env

    exported = dict(re.findall(r"^export (\w+) := (.*)$", (ROOT / "Makefile").read_text(), flags=re.M))
    assert exported == REPRODUCIBLE_ENV
    assert reproducible_env("x86_64") == REPRODUCIBLE_ENV and reproducible_env("arm64") == {}


def test_kernels_get_the_reproducible_env():
    """The pytest plugin has put the variables into this process, which nbval's kernels inherit."""
    import os

    from dlcourse.course import reproducible_env

    for name, value in reproducible_env().items():
        assert os.environ.get(name) == value, name


def test_the_pinned_env_really_turns_avx512_off():
    """On an AVX-512 machine the variables must switch numpy's AVX-512 loops and OpenBLAS's AVX-512
    kernels off (numpy renamed its features once already: X86_V4 in 2.4). Elsewhere nothing to see."""
    import os

    from dlcourse.course import reproducible_env

    env = reproducible_env()
    if not env:
        pytest.skip("not x86-64: nothing is pinned")
    probe = ("import json, numpy, threadpoolctl\n"
             "from numpy._core._multiarray_umath import __cpu_features__ as f, __cpu_dispatch__ as d\n"
             "blas = [i.get('architecture') for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas']\n"
             "print(json.dumps({'simd': [k for k in d if f[k]], 'blas': blas}))")
    got = json.loads(subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env},
                                    capture_output=True, text=True, check=True).stdout)
    assert not [k for k in got["simd"] if "512" in k or k == "X86_V4"], got
    assert got["blas"] and all(arch == "Haswell" for arch in got["blas"]), got


@pytest.mark.parametrize("args,notebook", [([], "notebooks/00_using_this_course.ipynb"),
                                           (["LANG=ja"], "ja/notebooks/00_using_this_course.ipynb")])
def test_make_lab_opens_chapter_00_of_the_edition(args, notebook):
    """make lab opens the English chapter 00; make lab LANG=ja the Japanese one (a shell's own
    LANG, such as ja_JP.UTF-8, changes nothing)."""
    import os
    import shutil

    from conftest import ROOT

    if not shutil.which("make"):
        pytest.skip("make is not installed")
    env = {**os.environ, "LANG": "ja_JP.UTF-8"}
    out = subprocess.run(["make", "-n", "-s", "lab", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True).stdout
    line = [l for l in out.splitlines() if "jupyter lab" in l][-1]
    assert line.endswith(" " + notebook), line
    assert (ROOT / notebook).exists()
