"""Local copies of the student's matplotlib figures, for plot checks in the grader.

The kernel describes every figure that is new or changed after each call (lines, bars,
scatter offsets, titles, labels, legend entries, scales, limits: what the plot checks
read); :class:`Mirror` redraws each as a real Figure in the grader's pyplot under the
same number, so ``plt.gcf()`` and a returned ``fig`` or ``ax`` work in hidden tests as
they would in the kernel. ``plt.close`` in a test closes the kernel's figures too.
"""

from __future__ import annotations

from typing import Any

import numpy as np


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
        plt = self.pyplot._plt
        for desc in descriptions:
            if not isinstance(desc, dict) or "num" not in desc:
                continue
            num = desc["num"]
            if desc.get("closed"):
                plt.close(num) if num in plt.get_fignums() else None
                continue
            try:
                self.draw(desc)
            except Exception:  # a malformed description leaves an empty figure, which checks report
                plt.figure(num).clear()

    def draw(self, desc: dict) -> Any:
        plt = self.pyplot._plt
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
