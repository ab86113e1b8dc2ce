"""``python -m graders <verb>``: see graders.cli."""

import sys

from .cli import main

sys.exit(main())
