"""One module of checks per chapter; importing this package registers them all.

To add a chapter's checks, create ``chNN.py`` here and add it to the import
list below (docs/authoring.md has the recipe).
"""
from dlcourse.grading.checks import ch00, ch01, ch02  # noqa: F401
