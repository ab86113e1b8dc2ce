"""nbgrader configuration for the course: only `c.Class.trait = value` lines.

Paths are relative to this file so the course works from any checkout.
"""
import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "pnd4dl"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# The release holds notebooks only: data comes from the course's own data sets, and any other
# file an instructor leaves in source/<assignment>/ would be copied verbatim to students.
c.CourseDirectory.include = ["*.ipynb"]
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "*.csv"]

# Student code gets a generous per-cell limit; hidden checks budget their own time.
c.Execute.timeout = 60
c.ClearSolutions.enforce_metadata = True
