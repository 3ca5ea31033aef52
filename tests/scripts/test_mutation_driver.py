"""scripts/mutation.py on a made-up package of two functions: a mutant is tested in its own tree
however the tree is named, and a tree whose tests cannot see the mutant stops the run; and
scripts/mutation_report.py's reading of the equivalent mutants a document lists."""

from __future__ import annotations

import uuid
from pathlib import Path
from types import ModuleType

import pytest

from repo_scripts import load_script

ROOT = Path(__file__).resolve().parents[2]

CALC = "def add(a, b):\n    return a + b\n\n\ndef double(x):\n    return x * 2\n"
TESTS = "from fakecalc.calc import add\n\n\ndef test_two_and_three_make_five():\n    assert add(2, 3) == 5\n"


@pytest.fixture(scope="module")
def driver() -> ModuleType:
    return load_script("mutation")


def fake_tree(folder: Path, tests: str = TESTS) -> Path:
    """A tree as the driver lays it out: src/fakecalc and tests/, nothing installed."""
    (folder / "src" / "fakecalc").mkdir(parents=True)
    (folder / "src" / "fakecalc" / "__init__.py").write_text("")
    (folder / "src" / "fakecalc" / "calc.py").write_text(CALC)
    (folder / "tests").mkdir()
    (folder / "tests" / "test_calc.py").write_text(tests)
    return folder


def mutant(driver: ModuleType, operator: str) -> object:
    spec = driver.MutationSpec(
        module_path="src/fakecalc/calc.py",
        operator_name=operator,
        operator_args={},
        occurrence=0,
        start_pos=(1, 0),
        end_pos=(1, 1),
    )
    return driver.WorkItem.single(job_id="fake", mutation=spec)


@pytest.fixture
def relative_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tree named relative to the working folder, as `--workdir build/...` names it."""
    fake_tree(tmp_path / "work" / "tree-0")
    monkeypatch.chdir(tmp_path)
    return Path("work/tree-0")


def test_a_mutant_in_a_tree_named_by_a_relative_path_fails_the_tests_of_that_tree(
    driver: ModuleType, relative_tree: Path
) -> None:
    item = mutant(driver, "core/ReplaceBinaryOperator_Add_Sub")  # a + b -> a - b
    result = driver.run_one(item, relative_tree, ["tests"], 120.0)
    assert result.test_outcome == driver.TestOutcome.KILLED
    # caught by the assertion on add(2, 3), not by a package the tests could not import
    assert "1 failed" in result.output and "assert -1 == 5" in result.output
    assert (relative_tree / "src/fakecalc/calc.py").read_text() == CALC  # put back


def test_a_mutant_no_test_looks_at_survives(driver: ModuleType, relative_tree: Path) -> None:
    item = mutant(driver, "core/ReplaceBinaryOperator_Mul_Div")  # x * 2 -> x / 2, untested
    result = driver.run_one(item, relative_tree, ["tests"], 120.0)
    assert result.test_outcome == driver.TestOutcome.SURVIVED
    assert "1 passed" in result.output


def test_a_tree_whose_tests_import_the_package_from_elsewhere_stops_the_run(
    driver: ModuleType, relative_tree: Path
) -> None:
    driver.check_tree(relative_tree, "fakecalc")  # its own: no complaint
    assert driver.imported_from(relative_tree, "fakecalc") == (
        relative_tree.resolve() / "src/fakecalc/__init__.py"
    )
    # a module the tree does not hold comes from the interpreter's own paths
    with pytest.raises(SystemExit, match="not from the tree"):
        driver.check_tree(relative_tree, "email")


def test_tests_that_fail_without_a_mutant_stop_the_run(driver: ModuleType, tmp_path: Path) -> None:
    # a test reading a file the tree lacks would fail for every mutant: each counted as caught
    reads = (
        "from pathlib import Path\n\n\ndef test_reads():\n    Path('examples/x.toml').read_text()\n"
    )
    tree = fake_tree(tmp_path / "tree-0", tests=reads)
    with pytest.raises(SystemExit, match="unmutated tests"):
        driver.check_baseline(tree, ["tests"], 120.0)
    assert driver.check_baseline(fake_tree(tmp_path / "tree-1"), ["tests"], 120.0) > 0


def test_a_tree_holds_the_examples_and_scripts_the_tests_read(
    driver: ModuleType, tmp_path: Path
) -> None:
    pristine = fake_tree(tmp_path / "pristine")
    tree = tmp_path / "tree-0"
    driver._copy_tree(tree, pristine)
    for name in ("examples/red-sea-closed.toml", "scripts/assign_energy_carriers.py"):
        assert (tree / name).read_bytes() == (ROOT / name).read_bytes()
    assert (tree / "src/fakecalc/calc.py").read_text() == CALC


def test_tests_stopped_by_a_signal_give_no_verdict(driver: ModuleType, tmp_path: Path) -> None:
    # as when the run is interrupted (`timeout`, a kill of its process group): not "caught"
    stopped = (
        "import os, signal\n\n\ndef test_stopped():\n    os.kill(os.getpid(), signal.SIGTERM)\n"
    )
    tree = fake_tree(tmp_path / "tree-0", tests=stopped)
    item = mutant(driver, "core/ReplaceBinaryOperator_Add_Sub")
    assert driver.run_one(item, tree, ["tests"], 120.0) is None
    assert (tree / "src/fakecalc/calc.py").read_text() == CALC


def test_a_seed_draws_the_same_mutants_in_a_fresh_session(
    driver: ModuleType, tmp_path: Path
) -> None:
    # each session gives its mutants new random job ids; the draw must not depend on them
    def session(name: str) -> Path:
        db = tmp_path / f"{name}.sqlite"
        items = []
        for line in range(1, 41):
            spec = driver.MutationSpec(
                module_path="src/fakecalc/calc.py",
                operator_name="core/NumberReplacer",
                operator_args={},
                occurrence=line - 1,
                start_pos=(line, 4),
                end_pos=(line, 5),
            )
            items.append(driver.WorkItem.single(job_id=uuid.uuid4().hex, mutation=spec))
        with driver.use_db(str(db), driver.WorkDB.Mode.create) as work:
            work.add_work_items(items)
        return db

    def drawn(db: Path) -> list[int]:
        return [
            item.mutations[0].occurrence for _, item in driver._pending({"p": db}, 10, 7, [], 0)
        ]

    first = drawn(session("a"))
    assert len(set(first)) == 10
    assert drawn(session("b")) == first


def test_the_report_counts_as_equivalent_what_every_equivalent_section_lists(
    tmp_path: Path,
) -> None:
    report = load_script("mutation_report")
    doc = tmp_path / "mutation.md"
    doc.write_text(
        "## Survivors\n\n- `src/corridor/a.py:1 core/NumberReplacer`\n\n"
        "### Equivalent mutants of one session\n\n- `src/corridor/b.py:2 core/AddNot`\n\n"
        "### Session of another commit\n\n- `src/corridor/c.py:3 core/AddNot`\n\n"
        "## Equivalent mutants\n\n- `src/corridor/d.py:4 core/AddNot` and\n"
        "  `src/corridor/e.py:5 core/AddNot`\n\n"
        "## Survivors left\n\n- `src/corridor/f.py:6 core/AddNot`\n"
    )
    assert report._equivalent(doc) == {
        "src/corridor/b.py:2 core/AddNot",
        "src/corridor/d.py:4 core/AddNot",
        "src/corridor/e.py:5 core/AddNot",
    }
