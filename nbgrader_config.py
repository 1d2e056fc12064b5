"""nbgrader configuration: this repository is an nbgrader course as it stands.

source = solutions/ (the only place exercises are written), release =
exercises/ (generated; see dlcourse/grading/generate.py). Everything nbgrader
writes (gradebook, submissions, feedback) lives under the ignored build/.
"""
import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

_here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(_here, "build", "nbgrader"), exist_ok=True)  # sqlite cannot create folders

c.CourseDirectory.root = _here
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join("build", "nbgrader", "submitted")
c.CourseDirectory.autograded_directory = os.path.join("build", "nbgrader", "autograded")
c.CourseDirectory.feedback_directory = os.path.join("build", "nbgrader", "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_here, "build", "nbgrader", "gradebook.db")
# *.py: the jupytext twin of a solution notebook holds the solutions; never release it.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "jupytext.toml"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
