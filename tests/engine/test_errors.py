"""One exception root for the engine, so a caller can tell the engine's failures from the student's."""

import importlib
import pkgutil

import graders.engine
from graders.engine import EngineError

NOT_ENGINE_FAILURES = {"StudentError"}
"""The student's own exception, rebuilt in the grader: the student's, never the engine's."""


def engine_exceptions() -> dict[str, type]:
    found = {}
    for info in pkgutil.walk_packages(graders.engine.__path__, "graders.engine."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_engine_exception_derives_from_engine_error_or_must_escape_except_exception():
    found = engine_exceptions()
    assert {"graders.engine.grader.remote.KernelLost", "graders.engine.kernel.codec.CodecError",
            "graders.engine.sandbox.policy.SandboxUnavailable", "graders.engine.sandbox.forked.ZygoteError"} <= set(found)
    for where, cls in found.items():
        if cls.__name__ in NOT_ENGINE_FAILURES:
            continue
        # a BaseException that is not an Exception is one a student's `except Exception:` cannot swallow
        assert issubclass(cls, EngineError) or not issubclass(cls, Exception), where
