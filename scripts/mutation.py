#!/usr/bin/env python3
"""Mutation run over routing, reliability, scenarios and assignment (`make mutation`).

Cosmic Ray makes the mutants (its operators edit the source); this driver picks a focused set
of operators, drops mutants that cannot change behaviour (type annotations, which
`from __future__ import annotations` never evaluates), optionally samples, and runs each
mutant's package tests (`pytest -x` on the matching test folders, with a time limit) in a copy
of the tree under the work folder, so the checkout is never edited. Mutants of the numba
kernels are compiled into a cache folder of their own (NUMBA_CACHE_DIR, emptied after each), so
numba's cache of the unmutated kernels stays valid (each file's timestamp is restored after its
mutant too); `--no-jit` runs them as Python instead (NUMBA_DISABLE_JIT=1: no compile, but the
search runs far slower). Before the first mutant, each tree must import `corridor` from its own
sources and each package's tests must pass there unmutated; either fault stops the run, since
it would make every mutant survive, or every mutant caught.

Results go into one Cosmic Ray session database per package (WORKDIR/PACKAGE.sqlite), so an
interrupted run resumes where it stopped and `cr-report WORKDIR/routing.sqlite` also reads
them; `scripts/mutation_report.py` prints killed/survived/timeout per module.

    python scripts/mutation.py                         # every mutant of the four packages
    python scripts/mutation.py --sample 200 --seed 1   # 200 mutants drawn over the packages
    python scripts/mutation.py --package reliability   # one package, all of its mutants
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cosmic_ray.plugins
from cosmic_ray.ast import ast_nodes, get_ast_from_path
from cosmic_ray.ast.ast_query import ASTQuery
from cosmic_ray.mutating import MutationVisitor
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import (
    MutationSpec,
    TestOutcome,
    WorkerOutcome,
    WorkItem,
    WorkResult,
)

ROOT = Path(__file__).resolve().parent.parent

# package -> the test folders its mutants run (the tests of the layers above that use it, too)
PACKAGES: dict[str, list[str]] = {
    "reliability": ["tests/reliability"],
    "scenarios": ["tests/scenarios"],
    "assignment": ["tests/assignment"],
    "routing": ["tests/routing"],
    # not in `make mutation`'s default set (MUTATION_PACKAGES); run it with --package network
    "network": ["tests/network", "tests/routing"],
}
JITTED = {"kernel.py", "shortest.py", "replan_kernel.py"}

# the operators that model a programmer's slip: off-by-one comparisons, a flipped sign or
# operation, a negated condition, a changed constant, a skipped loop, a swapped and/or
_BINARY = [("Add", "Sub"), ("Sub", "Add"), ("Mul", "Div"), ("Div", "Mul"), ("FloorDiv", "Mul")]
_BINARY += [("Mod", "FloorDiv"), ("Pow", "Mul"), ("BitOr", "BitAnd"), ("BitAnd", "BitOr")]
_COMPARE = [("Lt", "LtE"), ("LtE", "Lt"), ("Gt", "GtE"), ("GtE", "Gt"), ("Eq", "NotEq")]
_COMPARE += [("NotEq", "Eq"), ("Is", "IsNot"), ("IsNot", "Is"), ("Lt", "Gt"), ("Gt", "Lt")]
OPERATORS = (
    [f"core/ReplaceBinaryOperator_{a}_{b}" for a, b in _BINARY]
    + [f"core/ReplaceComparisonOperator_{a}_{b}" for a, b in _COMPARE]
    + [
        "core/ReplaceUnaryOperator_USub_UAdd",
        "core/ReplaceUnaryOperator_Delete_Not",
        "core/AddNot",
        "core/ReplaceTrueWithFalse",
        "core/ReplaceFalseWithTrue",
        "core/ReplaceAndWithOr",
        "core/ReplaceOrWithAnd",
        "core/ReplaceBreakWithContinue",
        "core/ReplaceContinueWithBreak",
        "core/NumberReplacer",
        "core/ZeroIterationForLoop",
    ]
)


def _annotation_spans(path: Path) -> list[tuple[int, int, int, int]]:
    """(line, col, end line, end col) of every annotation and docstring in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spans = []
    for node in ast.walk(tree):
        notes: list[ast.expr | None] = []
        if isinstance(node, ast.arg):
            notes.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            notes.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            notes.append(node.annotation)
        for note in notes:
            if note is not None and note.end_lineno is not None and note.end_col_offset is not None:
                spans.append((note.lineno, note.col_offset, note.end_lineno, note.end_col_offset))
    return spans


def _inside(pos: tuple[int, int], spans: list[tuple[int, int, int, int]]) -> bool:
    return any((a, b) <= pos < (c, d) for a, b, c, d in spans)


def generate(package: str, base: Path = ROOT) -> list[WorkItem]:
    """Every mutant of the package's modules under the chosen operators, annotations left out."""
    items = []
    for module in sorted((base / "src/corridor" / package).glob("*.py")):
        rel = module.relative_to(base)
        module_ast = get_ast_from_path(module)
        spans = _annotation_spans(module)
        for name in OPERATORS:
            operator = cosmic_ray.plugins.get_operator(name)()
            positions = [
                (node, start, end)
                for node in ast_nodes(module_ast)
                for start, end in operator.mutation_positions(node)
            ]
            for occurrence, (node, start, end) in enumerate(positions):
                if _inside(start, spans):
                    continue
                spec = MutationSpec(
                    module_path=str(rel),
                    operator_name=name,
                    operator_args={},
                    occurrence=occurrence,
                    start_pos=start,
                    end_pos=end,
                    definition_name=ASTQuery(node).get_definition_name(),
                )
                items.append(WorkItem.single(job_id=uuid.uuid4().hex, mutation=spec))
    return items


_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", "*.egg-info")
_READ_BY_TESTS = ("examples", "scripts")


def _pristine(workdir: Path) -> Path:
    """The sources the session's mutants were made from, copied once (positions refer to it)."""
    source = workdir / "pristine"
    if not source.exists():
        shutil.copytree(ROOT / "src", source / "src", ignore=_IGNORE)
    return source


def _copy_tree(target: Path, pristine: Path) -> None:
    """Sources as in `pristine` (any file a killed run left mutated is put back, timestamp
    included, so numba's cache stays valid), and the tests afresh from the checkout."""
    if not (target / "src").exists():
        shutil.copytree(pristine / "src", target / "src")
    for original in (pristine / "src").rglob("*.py"):
        copy = target / original.relative_to(pristine)
        if not copy.exists() or copy.read_bytes() != original.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(original, copy)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    # the tests, and what they read beside src/ (examples/red-sea-closed.toml, the data scripts):
    # a test that cannot find its file fails for every mutant, which would count it as caught
    for folder in ("tests", *_READ_BY_TESTS):
        shutil.rmtree(target / folder, ignore_errors=True)
        shutil.copytree(ROOT / folder, target / folder, ignore=_IGNORE)


def tree_environment(tree: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a tree's tests run in: its own `src` first on the import path.

    The path is absolute: the tests run with the tree as their working folder, where a relative
    one (from `--workdir build/...`) names nothing, and Python would then import the package
    from wherever else it is installed (the editable install of the checkout), unmutated.
    """
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = str(tree.resolve() / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def imported_from(tree: Path, module: str = "corridor") -> Path:
    """The file a tree's tests get for `import module`."""
    tree = tree.resolve()
    code = f"import {module}; print({module}.__file__)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=tree_environment(tree), capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return Path(proc.stdout.strip()).resolve()


def check_tree(tree: Path, module: str = "corridor") -> None:
    """Stop unless the tree's tests import `module` from the tree's own sources."""
    found = imported_from(tree, module)
    if not found.is_relative_to(tree.resolve() / "src"):
        raise SystemExit(
            f"mutation: the tests in {tree} import {module} from {found}, not from the tree: "
            "its mutants would never be tested (an install or PYTHONPATH shadows the tree)"
        )


def check_baseline(tree: Path, tests: list[str], timeout: float) -> float:
    """Run the unmutated tests in the tree; stop unless they pass. Returns the seconds taken.

    A test that fails without a mutant (a file missing from the tree, a broken test) would
    count every mutant as caught.
    """
    started = time.monotonic()
    try:
        proc = subprocess.run(
            _pytest(tests), cwd=tree.resolve(), env=tree_environment(tree), capture_output=True,
            timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise SystemExit(
            f"mutation: the unmutated tests {tests} ran past --timeout {timeout:.0f} s"
        ) from None
    if proc.returncode != 0:
        tail = proc.stdout.decode("utf-8", "replace")[-3000:]
        raise SystemExit(f"mutation: the unmutated tests {tests} fail in {tree}:\n{tail}")
    return time.monotonic() - started


def _pytest(tests: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]


def run_one(
    item: WorkItem, tree: Path, tests: list[str], timeout: float, no_jit: bool = False
) -> WorkResult | None:
    """Mutate the file in `tree`, run the tests there, restore the file and its timestamp.

    None when the tests were stopped by a signal (the run interrupted, e.g. `timeout` or a kill
    of its process group): no verdict, so a resumed run tries the mutant again.
    """
    spec = item.mutations[0]
    tree = tree.resolve()
    path = tree / spec.module_path
    stat = path.stat()
    original = path.read_text(encoding="utf-8")
    operator = cosmic_ray.plugins.get_operator(spec.operator_name)()
    try:
        mutated = MutationVisitor.mutate_code(original, operator, spec.occurrence)
        if mutated is None:
            return WorkResult(worker_outcome=WorkerOutcome.NO_TEST)
        path.write_text(mutated, encoding="utf-8")
        env = tree_environment(tree)
        # each mutant starts without the examples Hypothesis saved for the tree's last one, so
        # a verdict does not hang on which tree, or in which order, the mutants ran
        shutil.rmtree(tree / ".hypothesis", ignore_errors=True)
        scratch = tree / ".numba-mutant"
        if path.name in JITTED and no_jit:
            env["NUMBA_DISABLE_JIT"] = "1"
        elif path.name in JITTED:
            shutil.rmtree(scratch, ignore_errors=True)
            env["NUMBA_CACHE_DIR"] = str(scratch)
        try:
            proc = subprocess.run(
                _pytest(tests), cwd=tree, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            outcome, output = TestOutcome.KILLED, "timeout"
        else:
            if proc.returncode < 0:
                return None
            tail = proc.stdout.decode("utf-8", "replace")[-4000:]
            outcome = TestOutcome.SURVIVED if proc.returncode == 0 else TestOutcome.KILLED
            output = tail
        diff = _diff(original, mutated, spec.module_path)
        return WorkResult(
            output=output, diff=diff, test_outcome=outcome, worker_outcome=WorkerOutcome.NORMAL
        )
    finally:
        shutil.rmtree(tree / ".numba-mutant", ignore_errors=True)
        path.write_text(original, encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _diff(before: str, after: str, name: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"a/{name}", f"b/{name}", lineterm="", n=1
    )
    return "\n".join(lines)


def _session(workdir: Path, package: str, fresh: bool, base: Path) -> Path:
    db_path = workdir / f"{package}.sqlite"
    if fresh and db_path.exists():
        db_path.unlink()
    if not db_path.exists():
        with use_db(str(db_path), WorkDB.Mode.create) as db:
            db.add_work_items(generate(package, base))
    return db_path


def _pending(
    db_paths: dict[str, Path], sample: int | None, seed: int, modules: list[str], retest: int
) -> list[tuple[str, WorkItem]]:
    """The mutants still to run; with `retest` 1, only the survivors, again (after new tests);
    with 2 the timeouts too (with a longer time limit, on a busy machine)."""
    queue = []
    for package, db_path in db_paths.items():
        with use_db(str(db_path), WorkDB.Mode.open) as db:
            everything = sorted(db.work_items, key=lambda w: w.job_id)
            results = dict(db.results)
        if retest:
            alive = {
                j
                for j, r in results.items()
                if r.test_outcome == TestOutcome.SURVIVED or (retest > 1 and r.output == "timeout")
            }
            everything = [item for item in everything if item.job_id in alive]
            results = {}
        done = set(results)
        for item in everything:
            path = str(item.mutations[0].module_path)
            if not modules or any(path.endswith(m) for m in modules):
                queue.append((package, item, item.job_id in done))
    if sample is not None:
        # the same seed draws the same mutants, in a resumed session and in a fresh one (job ids
        # are random, so the draw is made in the order of what each mutant changes)
        queue.sort(key=lambda entry: (entry[0], _where(entry[1])))
        queue = random.Random(seed).sample(queue, min(sample, len(queue)))
    return [(package, item) for package, item, done in queue if not done]


def _where(item: WorkItem) -> tuple[str, int, int, str, int]:
    spec = item.mutations[0]
    return (str(spec.module_path), *spec.start_pos, spec.operator_name, spec.occurrence)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", choices=sorted(PACKAGES))
    parser.add_argument("--module", action="append", default=[], help="e.g. montecarlo.py")
    parser.add_argument("--sample", type=int, help="run this many mutants drawn at random")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per mutant")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run side by side")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build/mutation")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results")
    parser.add_argument(
        "--retest", action="store_true", help="run the survivors again, with the current tests"
    )
    parser.add_argument(
        "--retest-timeouts", action="store_true", help="run survivors and timeouts again"
    )
    parser.add_argument("--no-jit", action="store_true", help="kernel mutants without numba")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the run of the unmutated tests"
    )
    args = parser.parse_args(argv)
    packages = args.package or sorted(PACKAGES)
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    trees = [args.workdir / f"tree-{k}" for k in range(args.jobs)]
    if args.fresh:
        for folder in [*trees, args.workdir / "pristine"]:
            shutil.rmtree(folder, ignore_errors=True)
    pristine = _pristine(args.workdir)
    for tree in trees:
        _copy_tree(tree, pristine)
    db_paths = {p: _session(args.workdir, p, args.fresh, pristine) for p in packages}
    # a kill (SIGTERM) stops after the mutants in flight, each restored: never a mutated tree
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    retest = 2 if args.retest_timeouts else int(args.retest)
    queue = _pending(db_paths, args.sample, args.seed, args.module, retest)
    print(f"mutation: {len(queue)} mutants to run in {args.workdir}", flush=True)
    for tree in trees:
        check_tree(tree)
    for package in sorted({package for package, _ in queue} if not args.no_baseline else ()):
        seconds = check_baseline(trees[0], PACKAGES[package], args.timeout)
        print(f"mutation: {package}'s tests pass unmutated ({seconds:.0f} s)", flush=True)
    free = list(trees)
    started = time.monotonic()

    def work(entry: tuple[str, WorkItem]) -> tuple[str, WorkItem, WorkResult | None]:
        package, item = entry
        if stop.is_set():
            return package, item, None
        tree = free.pop()
        try:
            return package, item, run_one(item, tree, PACKAGES[package], args.timeout, args.no_jit)
        finally:
            free.append(tree)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for n, (package, item, result) in enumerate(pool.map(work, queue), 1):
            if result is None:
                continue
            with use_db(str(db_paths[package]), WorkDB.Mode.open) as db:
                db.set_result(item.job_id, result)
            spec = item.mutations[0]
            verdict = "timeout" if result.output == "timeout" else result.test_outcome
            print(
                f"[{n}/{len(queue)} {time.monotonic() - started:.0f}s] {verdict} "
                f"{spec.module_path}:{spec.start_pos[0]} {spec.operator_name}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
