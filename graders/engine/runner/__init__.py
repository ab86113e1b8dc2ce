"""The grader's command: reads the course once, sanitizes and fans out submissions, and is the
only writer of the gradebook and ``autograded/`` (through nbgrader's own converter)."""
