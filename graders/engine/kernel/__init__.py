"""Inside the sandbox, beside the student's code: the bridge, the kernel factory, the wire
format. Standard library, numpy and :mod:`graders.protocol` only; started by
:mod:`graders.engine.boot` under a private package name."""
