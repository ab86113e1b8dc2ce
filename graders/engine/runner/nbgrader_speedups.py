"""Two costs nbgrader pays on every notebook, paid once per process instead.

nbgrader's preprocessors each open ``Gradebook(db_url)``, and each opening creates a new
SQLAlchemy engine and re-checks every table (about 25 openings per submission); its
metadata check validates every cell with ``jsonschema.validate``, which first validates
the *schema itself*, every time. In a one-shot ``nbgrader`` command that is noise; in
our writer, which saves a whole class from one process, it was most of the time per
submission (measured: about 1 s of 1.1 s).

:func:`install` keeps one engine per database URL and one checked validator per schema.
Behaviour is unchanged: the same tables are created if missing, the same cells are
validated against the same schema and raise the same ``ValidationError``.
"""

from __future__ import annotations

import threading
from typing import Any

_installed = False
_lock = threading.Lock()


class _CachedJsonschema:
    """Stands in for the ``jsonschema`` module inside nbgrader's format checker."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self._validators: dict[int, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            return self._real.validate(instance, schema, *args, **kwargs)
        key = id(schema)
        validator = self._validators.get(key)
        if validator is None or validator[0] is not schema:
            cls = self._real.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = (schema, cls(schema))
        error = self._real.exceptions.best_match(validator[1].iter_errors(instance))
        if error is not None:
            raise error


def install() -> None:
    """Patch nbgrader in this process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        import jsonschema
        import nbgrader.api as api
        import nbgrader.nbgraderformat.common as common

        common.jsonschema = _CachedJsonschema(jsonschema)

        engines: dict[tuple, Any] = {}
        real_create_engine = api.create_engine
        created: set[int] = set()
        real_create_all = api.Base.metadata.create_all

        def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
            key = (str(url), args, tuple(sorted(kwargs.items())))
            if key not in engines:
                engines[key] = real_create_engine(url, *args, **kwargs)
            return engines[key]

        def create_all(bind: Any = None, **kwargs: Any) -> None:
            if id(bind) in created and not kwargs:
                return
            real_create_all(bind=bind, **kwargs)
            created.add(id(bind))

        api.create_engine = create_engine
        api.Base.metadata.create_all = create_all
        _installed = True
