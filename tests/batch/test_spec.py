"""NetworkSpec opens a network once per process, applies scenarios, and notices edited files."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from corridor.batch.spec import NetworkSpec
from corridor.errors import InputFileError

EXAMPLES = Path(__file__).parents[2] / "examples"
CLOSE_ALASHANKOU = EXAMPLES / "alashankou-dostyk-closed.toml"


def test_open_is_cached_per_process() -> None:
    spec = NetworkSpec()
    assert spec.open() is spec.open()
    assert NetworkSpec(None, ()).open() is spec.open()


def test_a_spec_pickles_as_a_small_recipe() -> None:
    spec = NetworkSpec("some/folder", ("a.toml",))
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert len(pickle.dumps(spec)) < 300


def test_scenarios_are_applied_in_order() -> None:
    base = NetworkSpec().open()
    closed = NetworkSpec(None, (str(CLOSE_ALASHANKOU),)).open()
    assert "ALASHANKOU_DOSTYK" in base.crossing_ids
    assert "ALASHANKOU_DOSTYK" not in closed.crossing_ids
    assert NetworkSpec(None, (str(CLOSE_ALASHANKOU),)).label() == "alashankou-dostyk-closed"
    assert NetworkSpec().label() == "baseline"


def test_an_edited_scenario_file_is_read_again(tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    shutil.copy(CLOSE_ALASHANKOU, file)
    spec = NetworkSpec(None, (str(file),))
    first = spec.open()
    file.write_text(
        CLOSE_ALASHANKOU.read_text().replace("ALASHANKOU_DOSTYK", "HORGOS_ALTYNKOL") + "\n"
    )
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = spec.open()
    assert second is not first
    assert "ALASHANKOU_DOSTYK" in second.crossing_ids
    assert "HORGOS_ALTYNKOL" not in second.crossing_ids


def test_a_bad_scenario_file_raises_the_file_error(tmp_path: Path) -> None:
    file = tmp_path / "bad.toml"
    file.write_text('name = "x"\n[[change]]\ntype = "close_crossing"\ncrossing = "NOPE"\n')
    with pytest.raises(InputFileError):
        NetworkSpec(None, (str(file),)).open()
