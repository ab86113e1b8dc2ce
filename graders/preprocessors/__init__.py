"""nbgrader preprocessors the course adds, one class per file (as nbgrader does)."""
