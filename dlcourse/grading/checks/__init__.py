"""One module of checks per chapter, ``chNN.py``; importing this package registers them all.

To add a chapter's checks, create ``chNN.py`` here (docs/authoring.md has the
recipe); it is found automatically.
"""
import importlib
import pkgutil

CHAPTER_MODULES = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("ch"))

for _name in CHAPTER_MODULES:
    importlib.import_module(f"{__name__}.{_name}")
