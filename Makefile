# One entry point for instructors, TAs and CI.
#   make demo   set everything up, then run the whole pipeline that exists, end to end
#   make test   set everything up, then run the test suite
# Every target that runs Python goes through .venv, and .venv/bin is on PATH for every
# recipe because nbgrader spawns `alembic` by name when it creates a gradebook.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON_BOOT ?= python3.11
VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
PY          := $(BIN)/python
STAMP       := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0

PYTEST_ARGS ?=
# Debian packages the project needs, and a command each provides (to skip apt when present):
# bubblewrap sandboxes student kernels; chromium runs the browser tests (driven by the pinned
# playwright package, which must never download a browser of its own).
SYSTEM_PACKAGES := bubblewrap chromium fonts-dejavu-core
SYSTEM_COMMANDS := bwrap chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
ASSIGNMENTS := $(sort $(notdir $(wildcard source/[0-9][0-9]_*)))

.PHONY: postgres demo test setup sysdeps serve feedback report export check autograde collect pack-feedback bench data release check-release student-kit formgrader new-exercise validate clean-venv help

help:
	@echo "make demo            - set up .venv and run the course pipeline end to end, in demo-course/ (DEMO_COURSE=dir)"
	@echo "make test            - set up .venv and run the tests (PYTEST_ARGS='-m \"not slow\"' for the fast ones)"
	@echo "make setup           - create .venv from requirements.lock and install this package"
	@echo "make sysdeps         - install the Debian packages (bubblewrap, chromium) when run as root"
	@echo "make data            - generate the course data sets into datasets/"
	@echo "make release         - validate source/, then regenerate release/ from it (nbgrader generate_assignment)"
	@echo "make check-release   - fail when release/ differs from what source/ generates"
	@echo "make new-exercise NAME=07_relu FUNCTION=relu - scaffold source/07_relu/07_relu.ipynb (keeps the contract)"
	@echo "make validate        - check every source notebook against the authoring contract (make release does it)"
	@echo "make student-kit     - build the students' pip package (pnd4dl-kit wheel and sdist) into dist/"
	@echo "make check NOTEBOOK=path [RELEASE=path] - run one notebook's public checks (students)"
	@echo "make collect ASSIGNMENT=04_softmax ZIP=downloads.zip [ROSTER=roster.csv] [LMS=auto] - LMS download into submitted/"
	@echo "make autograde ASSIGNMENT=02_sigmoid [STUDENT=id] [FORCE=1] [WORKERS=2] [SCHEDULER=addr] - grade a class"
	@echo "make serve [COURSE=.] [HOST=127.0.0.1] [SERVE_PORT=8000] [WORKERS=2] - the submission service (upload page, submit(), TA page)"
	@echo "make formgrader [COURSE=.] [PORT=8765] - nbgrader's formgrader for manual grading; prints its URL"
	@echo "make feedback | report | export [COURSE=.] - after autograding: feedback pages, class report, LMS CSV"
	@echo "make pack-feedback ASSIGNMENT=04_softmax [OUT=dir] - feedback pages as zips to upload to the LMS"
	@echo "make bench           - print the benchmarks (speed against stock nbgrader, attack tables)"
	@echo "make postgres        - start a throwaway PostgreSQL server: eval \"\$$(make -s postgres)\""
	@echo "make clean-venv      - delete .venv"
	@echo "make help            - this list"

setup: $(STAMP)

# The venv is rebuilt only when the pins change. pip installs the full lock file first, so
# no transitive dependency floats, then the graders package itself without dependencies.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON_BOOT) >/dev/null || command -v python3 >/dev/null || \
	  { echo "error: Python 3.11 is required (install python3.11 and python3.11-venv)"; exit 1; }
	@test -x $(PY) || { $$(command -v $(PYTHON_BOOT) || command -v python3) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m graders.engine.sandbox.kernelspec
	@touch $(STAMP)

# As root (CI, course servers) missing Debian packages are installed; otherwise the exact
# command is printed and the tests that need them skip with that reason.
sysdeps:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages: $(SYSTEM_PACKAGES)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
	  echo "missing:$$missing; install with: sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
	fi

test: setup sysdeps
	MPLBACKEND=Agg $(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks print figures; they are never timed unit tests.
bench: setup data
	$(PY) bench/bench_loops.py
	$(PY) bench/bench_speed.py
	$(PY) bench/bench_data.py
	$(PY) bench/bench_notebooks.py
	$(PY) bench/bench_public_checks.py
	$(PY) bench/bench_autograde.py --students 40
	$(PY) bench/hostile_table.py
	$(PY) bench/verdict_table.py --before eccf499

# A throwaway PostgreSQL server for the PostgreSQL gradebook tests: eval "$$(make -s postgres)"
postgres:
	@bash .ci/postgres.sh start

# The course data: small files are committed, the IPL files are generated (deterministic).
data: setup
	$(PY) -m graders.data generate datasets/

# End to end: data, release, the student kit, a simulated class of 30 autograded, feedback, class report, LMS export.
# The class lives in a course folder of its own (DEMO_COURSE): the course's own submitted/
# and gradebook are never touched, and a folder the demo did not make is refused.
DEMO_COURSE ?= demo-course
COURSE      ?= .
HOST        ?= 127.0.0.1
SERVE_PORT  ?= 8000
demo: setup sysdeps data release student-kit
	MPLBACKEND=Agg $(PY) -m graders.data stats datasets/ipl
	$(PY) demo/simulate_class.py --students 30 --course "$(DEMO_COURSE)"
	$(PY) demo/hand_in_live.py --course "$(DEMO_COURSE)"
	$(MAKE) --no-print-directory feedback report export COURSE="$(DEMO_COURSE)"
	@echo "demo course: $(DEMO_COURSE)/ (reports/, feedback/, grades_lms.csv)"

# Grade one assignment for every submission, in parallel (resumable; FORCE=1 regrades;
# STUDENT=id for one; WORKERS=n worker processes; SCHEDULER=tcp://host:8786 for a Dask cluster).
autograde: setup sysdeps
	@test -n "$(ASSIGNMENT)" || { echo "usage: make autograde ASSIGNMENT=02_sigmoid [STUDENT=id] [FORCE=1] [WORKERS=2] [SCHEDULER=addr]"; exit 2; }
	$(PY) -m graders autograde --root "$(COURSE)" "$(ASSIGNMENT)" $(if $(STUDENT),--student "$(STUDENT)") $(if $(FORCE),--force) \
	  $(if $(WORKERS),--workers $(WORKERS)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

# After autograding: feedback pages without hidden tests, the class report, the LMS export.
feedback: setup
	MPLBACKEND=Agg $(PY) -m graders feedback --root "$(COURSE)"

report: setup
	MPLBACKEND=Agg $(PY) -m graders report --root "$(COURSE)"

export: setup
	$(PY) -m graders export --root "$(COURSE)" --to grades_lms.csv

# Handing work in without JupyterHub: an LMS's "download all submissions" zip into submitted/
# (exit 1 when a file could not be placed: see the table), and feedback pages back as zips.
collect: setup
	@test -n "$(ASSIGNMENT)" -a -n "$(ZIP)" || { echo "usage: make collect ASSIGNMENT=04_softmax ZIP=downloads.zip [ROSTER=roster.csv] [LMS=auto|moodle|canvas|classroom]"; exit 2; }
	$(PY) -m graders collect "$(ASSIGNMENT)" "$(ZIP)" $(if $(ROSTER),--roster "$(ROSTER)") $(if $(LMS),--lms $(LMS))

pack-feedback: setup
	@test -n "$(ASSIGNMENT)" || { echo "usage: make pack-feedback ASSIGNMENT=04_softmax [OUT=dir]"; exit 2; }
	$(PY) -m graders pack-feedback "$(ASSIGNMENT)" $(if $(OUT),--out "$(OUT)")

# The student's check: public checks of one notebook, exit 1 when one fails. RELEASE= names
# the released notebook to compare test cells with, for a notebook kept outside the course.
check: setup
	@test -n "$(NOTEBOOK)" || { echo "usage: make check NOTEBOOK=path/to/notebook.ipynb [RELEASE=path/to/released.ipynb]"; exit 2; }
	$(PY) -m graders check "$(NOTEBOOK)" $(if $(RELEASE),--release "$(RELEASE)")

# nbgrader's formgrader (manual grading of written answers) on this machine only, with a
# fresh token; the URL to open is printed first. Ctrl-C stops it.
PORT ?= 8765
# The submission service, in the foreground (stop with Ctrl-C): students upload at
# http://HOST:SERVE_PORT/ or call submit() from the notebook; tokens: python -m graders tokens.
serve: setup sysdeps
	$(PY) -m graders serve --root "$(COURSE)" --host $(HOST) --port $(SERVE_PORT) $(if $(WORKERS),--workers $(WORKERS)) \
	  $(if $(SCHEDULER),--scheduler $(SCHEDULER))

formgrader: setup
	@token=$$($(PY) -c "import secrets; print(secrets.token_hex(16))"); \
	echo "formgrader: http://127.0.0.1:$(PORT)/formgrader?token=$$token"; \
	cd "$(COURSE)" && exec $(BIN)/jupyter server --no-browser --ServerApp.ip=127.0.0.1 \
	  --ServerApp.port=$(PORT) --ServerApp.port_retries=0 --IdentityProvider.token=$$token \
	  --ServerApp.root_dir="$$(pwd)" $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True) --log-level=WARN

validate: setup
	$(PY) -m graders validate

# A new exercise notebook that keeps the authoring contract (see README, "Adding an exercise").
new-exercise: setup
	@test -n "$(NAME)" -a -n "$(FUNCTION)" || { echo "usage: make new-exercise NAME=07_relu FUNCTION=relu"; exit 2; }
	$(PY) -m graders new-exercise "$(NAME)" --function "$(FUNCTION)"

# release/ is generated from source/ and committed; check-release fails when they disagree.
release: setup
	$(PY) -m graders validate
	@for a in $(ASSIGNMENTS); do \
	  echo "release $$a"; \
	  nbgrader generate_assignment "$$a" --force --log-level=ERROR; \
	done

check-release: release
	@git diff --exit-code --stat -- release/ && \
	  test -z "$$(git status --porcelain --untracked-files=all -- release/)" || \
	  { echo "error: release/ differs from what source/ generates: run 'make release' and commit"; \
	    git status --porcelain -- release/; exit 1; }

# The student kit: the checks and data that released notebooks import, as a wheel and an
# sdist in dist/ (the file list is in kit/build.py; the version is this package's).
student-kit: setup
	$(PY) kit/build.py --out dist

clean-venv:
	rm -rf $(VENV)
