"""Three late students hand in through the submission service (part of `make demo`).

Runs in the demo's course folder after the class is graded: issues tokens to three more
students (``python -m graders tokens --roster``), starts ``python -m graders serve`` on a free
port, and each student calls the kit's ``submit()`` as a notebook would: one with the key, one
with a plausible mistake, one with a file that is not a notebook (refused, nothing written).
It prints what each student saw, the TA page's counts, and stops the service. Their grades
are in the course's gradebook, so the report and the export that follow include them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

import httpx
import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.submit import SubmitError, submit  # noqa: E402
from samples.archetypes.softmax import ARCHETYPES  # noqa: E402
from samples.course import with_answers  # noqa: E402
from samples.service import bearer, issue_tokens, running  # noqa: E402

A = "04_softmax"
LATE = ["late_key", "late_axis", "late_wrongfile"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--course", type=Path, default=REPO / "demo-course")
    args = ap.parse_args()
    course = args.course.resolve()
    if not (course / "release" / A / f"{A}.ipynb").is_file():
        print(f"error: {course} has no released {A}: run demo/simulate_class.py first", file=sys.stderr)
        return 2
    key = nbformat.read(course / "source" / A / f"{A}.ipynb", 4)
    files = course / "service-demo"
    files.mkdir(exist_ok=True)
    nbformat.write(key, files / "key.ipynb")
    nbformat.write(with_answers(key, ARCHETYPES["wrong_axis"][0]), files / "wrong_axis.ipynb")
    (files / "notes.ipynb").write_text("these are my notes, not a notebook")
    tokens = issue_tokens(course, LATE, staff="demo_ta")
    t0 = time.perf_counter()
    with running(course, workers=1) as live:
        print(f"submission service up at {live.url} in {time.perf_counter() - t0:.1f} s")
        for student, path in zip(LATE, ("key.ipynb", "wrong_axis.ipynb", "notes.ipynb")):
            said = io.StringIO()
            t = time.perf_counter()
            try:
                with contextlib.redirect_stdout(said):
                    submit(A, token=tokens[student], url=live.url, path=files / path)
            except SubmitError as exc:
                said.write(f"not handed in: {exc}\n")
            print(f"\n{student} hands in {path} ({time.perf_counter() - t:.1f} s from upload to grade):")
            print("  " + said.getvalue().strip().replace("\n", "\n  "))
        ta = httpx.get(f"{live.url}/ta", headers=bearer(tokens["demo_ta"]), timeout=30)
        counts = ta.text.split('<p id="counts">', 1)[1].split("</p>", 1)[0]
        print("\nTA page: " + " ".join(counts.replace("<b>", "").replace("</b>", "").split()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
