"""``python -m graders.student PATH``: the same command as ``python -m graders check PATH``."""

import sys

from .check import check_main

sys.exit(check_main(sys.argv[1:]))
