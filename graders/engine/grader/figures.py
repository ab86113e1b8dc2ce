"""Local copies of the student's matplotlib figures, for plot checks in the grader.

The kernel describes every figure that is new or changed after each call (lines, bars,
scatter offsets, titles, labels, legend entries, scales, limits: what the plot checks
read); :class:`Mirror` redraws each as a real Figure in the grader's pyplot under the
same number, so ``plt.gcf()`` and a returned ``fig`` or ``ax`` work in hidden tests as
they would in the kernel. ``plt.close`` in a test closes the kernel's figures too.

Redrawing is deferred until something looks. Most calls that draw are made by checks that
never read the figure (values, mutation, loops), and building a Figure with its axes and
bars costs more than the call itself. So descriptions wait in order, and every use of
pyplot's figure registry (``Gcf.figs``: ``gcf``, ``gca``, ``figure(n)``, ``get_fignums``,
``close(n)``, ``subplots``), through whatever import of pyplot, first draws them as they
came. What any reader sees is what drawing at once would have left; only ``close("all")``
drops the waiting descriptions unseen, as drawing then closing them would.

A description is data from the student's kernel, so drawing it is bounded (``CAPS``): a
figure past a cap is drawn empty, with a title that says why, and the plot checks that
read it fail with that reason; it never holds a worker past the cell's time limit.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

CAPS = {"axes": 16, "lines": 200, "collections": 200, "bars": 5_000, "points": 500_000, "text": 2_000}
"""Most axes per figure, lines and scatter collections per figure, bars and plotted points
per figure, and characters per title or label, that the grader redraws."""

_PENDING: "OrderedDict[Any, dict]" = OrderedDict()
"""Figure descriptions not drawn yet, by figure number, oldest first (one process, one judge)."""
_FLUSHING = [False]


def flush() -> None:
    """Draw every waiting description, in the order the kernel reported them."""
    if not _PENDING or _FLUSHING[0]:
        return
    import matplotlib.pyplot as plt

    _FLUSHING[0] = True
    try:
        while _PENDING:
            num, desc = _PENDING.popitem(last=False)
            if desc.get("closed"):
                if num in plt.get_fignums():
                    plt.close(num)
                continue
            try:
                draw(desc)
            except Exception:  # a malformed description leaves an empty figure, which checks report
                plt.figure(num).clear()
    finally:
        _FLUSHING[0] = False


def _flushing(name: str) -> Any:
    method = getattr(OrderedDict, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        flush()
        return method(self, *args, **kwargs)

    wrapper.__name__ = name
    return wrapper


class _Registry(OrderedDict):
    """pyplot's figure registry, drawing what waits before any use (see the module doc)."""


for _name in ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__", "__len__",
              "__reversed__", "__eq__", "get", "keys", "values", "items", "pop", "popitem", "clear",
              "move_to_end", "setdefault", "copy", "update"):
    setattr(_Registry, _name, _flushing(_name))
del _name


def _install() -> None:
    """Put :class:`_Registry` in place of ``Gcf.figs``, once per process."""
    from matplotlib._pylab_helpers import Gcf

    if type(Gcf.figs) is _Registry:
        return
    Gcf.figs = _Registry(Gcf.figs)
    destroy_all = Gcf.destroy_all.__func__

    def drop_then_destroy_all(cls: Any) -> None:
        _PENDING.clear()
        destroy_all(cls)

    Gcf.destroy_all = classmethod(drop_then_destroy_all)


class Pyplot:
    """``matplotlib.pyplot`` for hidden tests: the grader's own, with ``close`` forwarded."""

    def __init__(self, mirror: "Mirror") -> None:
        import matplotlib.pyplot as plt

        self._plt, self._mirror = plt, mirror

    def __getattr__(self, name: str) -> Any:
        return getattr(self._plt, name)

    def close(self, which: Any = None) -> None:
        self._plt.close() if which is None else self._plt.close(which)
        if which is None or isinstance(which, (str, int)):
            try:
                self._mirror.link.request("close", which="all" if which in (None, "all") else which, timeout=10)
            except Exception:
                pass


class Pending:
    """A figure or axes the kernel returned, looked up once its description has been drawn."""

    def __init__(self, node: dict) -> None:
        self.node = node


class Mirror:
    def __init__(self, link: Any) -> None:
        _install()
        self.link = link
        self.pyplot = Pyplot(self)
        self.pyplot._plt.close("all")  # nothing of an earlier submission may stay in view

    def pending(self, node: dict) -> Pending:
        return Pending(node)

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """Replace :class:`Pending` markers (also inside tuples, lists, dicts) by the figures."""
        if isinstance(value, Pending):
            return self.lookup(value.node)
        if depth > 3:
            return value
        if isinstance(value, tuple):
            return tuple(self.resolve(v, depth + 1) for v in value)
        if isinstance(value, list):
            return [self.resolve(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        return value

    def sync(self, descriptions: list) -> None:
        """Queue the kernel's latest descriptions; pyplot's next use draws them."""
        for desc in descriptions:
            if not isinstance(desc, dict) or "num" not in desc:
                continue
            reason = too_large(desc)
            if reason:
                desc = {"num": desc["num"], "axes": [],
                        "suptitle": f"(this figure is too large for the grader to check: {reason})"}
            _PENDING.pop(desc["num"], None)  # a newer state replaces it, and is now the latest
            _PENDING[desc["num"]] = desc

    def lookup(self, node: dict) -> Any:
        plt = self.pyplot._plt
        num = node.get("num")
        if num not in plt.get_fignums():
            return None
        fig = plt.figure(num)
        if node.get("t") == "axes":
            i = int(node.get("i") or 0)
            return fig.axes[i] if i < len(fig.axes) else None
        return fig


def _size(values: Any) -> int:
    try:
        return int(np.size(values))
    except Exception:
        return CAPS["points"] + 1


def too_large(desc: dict) -> str | None:
    """Why a description is past ``CAPS`` (None when it is within them); cut long texts."""
    axes = desc.get("axes") or []
    if not isinstance(axes, list):
        return "its axes are not a list"
    if len(axes) > CAPS["axes"]:
        return f"{len(axes)} axes (at most {CAPS['axes']})"
    lines = collections = bars = points = 0
    for a in axes:
        if not isinstance(a, dict):
            return "an axes description is not a mapping"
        for key in ("title", "xlabel", "ylabel"):
            if isinstance(a.get(key), str):
                a[key] = a[key][:CAPS["text"]]
        if isinstance(a.get("legend"), list):
            a["legend"] = [str(t)[:CAPS["text"]] for t in a["legend"][:CAPS["lines"]]]
        lines += len(a.get("lines") or [])
        collections += len(a.get("collections") or [])
        for ln in a.get("lines") or []:
            points += _size(ln.get("x")) + _size(ln.get("y"))
        for b in a.get("bars") or []:
            bars += _size(b.get("h"))
        for c in a.get("collections") or []:
            points += _size(c.get("offsets")) + _size(c.get("sizes"))
    if isinstance(desc.get("suptitle"), str):
        desc["suptitle"] = desc["suptitle"][:CAPS["text"]]
    for name, count in (("lines", lines), ("collections", collections), ("bars", bars), ("points", points)):
        if count > CAPS[name]:
            return f"{count} {name} (at most {CAPS[name]})"
    return None


def draw(desc: dict) -> Any:
    """A real Figure, under the kernel's number, drawn from its description."""
    import matplotlib.pyplot as plt

    num = desc["num"]
    if num in plt.get_fignums():
        plt.close(num)
    fig = plt.figure(num)
    for a in desc.get("axes") or []:
        ax = fig.add_axes(a.get("position") or [0.1, 0.1, 0.8, 0.8])
        for ln in a.get("lines") or []:
            ax.plot(np.asarray(ln["x"]), np.asarray(ln["y"]), label=ln.get("label", ""),
                    marker=ln.get("marker") if ln.get("marker") not in (None, "None") else None,
                    linestyle=ln.get("linestyle") or "-")
        for b in a.get("bars") or []:
            x, y, w, h = (np.asarray(b[k], dtype=float) for k in ("x", "y", "w", "h"))
            if b.get("horizontal"):
                ax.barh(y + h / 2, w, height=h, left=x, label=b.get("label") or None)
            else:
                ax.bar(x + w / 2, h, width=w, bottom=y, label=b.get("label") or None)
        for c in a.get("collections") or []:
            off = np.asarray(c.get("offsets"), dtype=float).reshape(-1, 2)
            sizes = np.asarray(c.get("sizes"), dtype=float)
            ax.scatter(off[:, 0], off[:, 1], s=sizes if sizes.size else None, label=c.get("label") or None)
        ax.set_title(a.get("title", ""))
        ax.set_xlabel(a.get("xlabel", ""))
        ax.set_ylabel(a.get("ylabel", ""))
        for axis, scale in (("x", a.get("xscale")), ("y", a.get("yscale"))):
            if scale in ("linear", "log", "symlog", "logit"):
                getattr(ax, f"set_{axis}scale")(scale)
        if a.get("xlim"):
            ax.set_xlim(*a["xlim"])
        if a.get("ylim"):
            ax.set_ylim(*a["ylim"])
        if a.get("legend") is not None:
            handles = [h for h in ax.get_legend_handles_labels()[0]]
            texts = list(a["legend"])
            ax.legend(handles[:len(texts)] if len(handles) >= len(texts) else None, texts) \
                if handles else ax.legend(texts)
    if desc.get("suptitle"):
        fig.suptitle(desc["suptitle"])
    return fig
