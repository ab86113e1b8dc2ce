"""A grading worker's process: runs a submission's cells in its sandboxed kernel and the hidden
tests here, beside it, against proxies of the student's names. Imports checks only through
:mod:`graders.protocol`."""
