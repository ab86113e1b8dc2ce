"""Tests for graders.engine/__init__.py: start-up without the "iri" grammar."""

import subprocess
import sys


def test_engine_processes_skip_the_iri_grammar_and_still_validate_notebooks():
    """After importing the engine, is rfc3987_syntax left out while nbformat still validates?"""
    code = ("import sys, graders.engine, nbformat\n"
            "from jsonschema import FormatChecker\n"
            "assert sys.modules.get('rfc3987_syntax') is None\n"
            "assert 'iri' not in FormatChecker.checkers and 'date-time' in FormatChecker.checkers\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')])\n"
            "nbformat.validate(nb)\n"
            "bad = nbformat.from_dict({'nbformat': 4, 'nbformat_minor': 5, 'metadata': {}, 'cells': [{}]})\n"
            "try:\n"
            "    nbformat.validate(bad)\n"
            "except nbformat.ValidationError:\n"
            "    print('refused')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "refused"
