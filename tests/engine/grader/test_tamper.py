"""Does the tamper scan find every way into the grading machinery, and nothing in honest code?

The attacks go through the real engine in tests/engine/test_hostile_verdicts.py; here each
way in is listed once, beside the honest code that looks most like it.
"""

import pytest

from graders.engine.grader.tamper import Tampering, message, scan

WAYS_IN = {
    "bridge name": "__graders_bridge__.op_time = None",
    "bridge by string": "b = globals()['__graders_bridge__']",
    "tracer off": "import sys\nsys.settrace(None)",
    "tracer read": "import sys\nif sys.gettrace(): pass",
    "tracer imported": "from sys import settrace",
    "profile": "import sys\nsys.setprofile(None)",
    "code swapped": "def f(): pass\ndef g(): pass\nf.__code__ = g.__code__",
    "code swapped by setattr": "def f(): pass\nsetattr(f, '__code__', (lambda: 1).__code__)",
    "gc walk": "import gc\nobjs = gc.get_objects()",
    "gc walk imported": "from gc import get_referrers",
    "ctypes": "import ctypes",
    "raw threads": "import _thread\n_thread.start_new_thread(print, ())",
    "frames": "import sys\nframe = sys._getframe(1)",
    "frame walk": "def f():\n    import inspect\n    return inspect.currentframe().f_back.f_locals",
    "inspect stack": "import inspect\ns = inspect.stack()",
    "handlers": "get_ipython().kernel.shell_handlers.clear()",
}

HONEST = {
    "gc.collect": "import gc\ngc.collect()",
    "np.stack": "import numpy as np\nx = np.stack([np.zeros(2), np.ones(2)])",
    "errstate": "import numpy as np\nwith np.errstate(divide='ignore'):\n    y = np.log(np.arange(3))",
    "a decorator": "import functools\ndef d(f):\n    @functools.wraps(f)\n    def g(*a):\n        return f(*a)\n    return g",
    "magic": "%matplotlib inline\nimport sys\nprint(sys.version)",
    "reading code": "def f(): pass\nprint(f.__code__.co_name)",
    "threads": "import threading\nt = threading.Thread(target=print)\nt.start()\nt.join()",
}


@pytest.mark.parametrize("name", WAYS_IN)
def test_every_way_in_is_found(name):
    found = scan([(3, WAYS_IN[name])])
    assert found and found[0].cell == 3, name
    assert found[0].text and found[0].line >= 1


@pytest.mark.parametrize("name", HONEST)
def test_honest_code_is_not_flagged(name):
    assert scan([(0, HONEST[name])]) == []


def test_the_message_names_the_line_and_the_check():
    found = scan([(5, "x = 1\nimport sys\nsys.settrace(None)\n")])
    text = message(found, "check_speed")
    assert text.startswith("check_speed:") and "cell 5, line 3: `sys.settrace(None)`" in text
    assert issubclass(Tampering, BaseException) and not issubclass(Tampering, Exception)
