"""Samples shared by the tests, the demo and the benchmarks: a throwaway course (``course``),
student archetypes, hostile submissions, loop and speed corpora.

They live outside ``tests/`` so that ``demo/`` and ``bench/`` never import the test suite,
and outside ``graders/`` so that nothing here is installed with the package.
"""
