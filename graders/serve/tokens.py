"""``python -m graders tokens``: who may submit, as secrets the instructor hands out.

    python -m graders tokens --roster roster.csv > tokens.csv   # id,token for each new student
    python -m graders tokens --revoke ada                         # ada's token stops working
    python -m graders tokens --staff ta1                          # a token for the TA page

The roster is nbgrader's (``id,first_name,last_name,email``): its students are added to the
gradebook, as ``nbgrader db student import`` would, and each one without a live token gets
one. Only a hash is stored, so a token is printed once: a student who lost theirs is revoked
and issued a new one by running the roster again. Nothing is printed to stdout but the CSV,
so it can be redirected to a file.
"""

from __future__ import annotations

import argparse
import csv
import sys

from ..course import load_course
from ..handin.roster import read_roster
from .policy import load_policy
from .store import STAFF, STUDENT, Store


def store_of(course) -> Store:
    return Store(course.root / load_policy(course).state / "service.db")


def run(args: argparse.Namespace) -> int:
    course = load_course(args.root)
    store = store_of(course)
    if args.revoke:
        n = store.revoke(args.revoke)
        if not n:
            print(f"error: {args.revoke} has no live token", file=sys.stderr)
            return 1
        print(f"revoked {n} token(s) of {args.revoke}", file=sys.stderr)
        return 0
    out = csv.writer(sys.stdout, lineterminator="\n")
    if args.staff:
        out.writerow(["id", "token"])
        out.writerow([args.staff, store.add_token(args.staff, STAFF)])
        return 0
    if not args.roster:
        print("error: give --roster FILE, --revoke ID or --staff NAME", file=sys.stderr)
        return 2
    roster = read_roster(args.roster)
    with course.gradebook() as gb:
        for sid, person in roster.people.items():
            gb.update_or_create_student(sid, **{k: v or None for k, v in person.items()})
    out.writerow(["id", "token"])
    kept = []
    for sid in roster.people:
        if store.has_token(sid, STUDENT):
            kept.append(sid)
            continue
        out.writerow([sid, store.add_token(sid, STUDENT)])
    print(f"{len(roster.people)} student(s) in the gradebook; {len(roster.people) - len(kept)} new token(s)"
          + (f"; {len(kept)} already had one (kept: --revoke ID, then run again, to issue a new one)"
             if kept else ""), file=sys.stderr)
    return 0
