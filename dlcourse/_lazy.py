"""Packages whose submodules load on first use (``dlcourse``, ``experiments``, ``lessons``).

``import dlcourse`` should stay fast and pull in no Jupyter machinery, so a
package lists its submodules without importing them and imports one when it
is first asked for (``dlcourse.gates``, ``experiments.cnn``).
"""
import importlib
import pkgutil


def lazy_submodules(package, path, extra=()):
    """``(__all__, __getattr__, __dir__)`` for a package that loads its submodules lazily.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    path : list of str
        Its ``__path__``; every module there not starting with "_" is listed.
    extra : sequence of str
        Other public names of the package (``__version__``).
    """
    names = sorted(m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_"))

    def __getattr__(name):
        if name in names:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}; "
                             f"its modules are {', '.join(names)}")

    def __dir__():
        return names + list(extra)

    return names + list(extra), __getattr__, __dir__
