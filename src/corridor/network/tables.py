"""Reading a package's CSV tables against a column schema, collecting every problem.

A schema maps column names to parsers. A parser turns a cell into a value or raises
`ValueError` whose text says what was expected; the reader turns that into a `Problem`
with file, row and column.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor.errors import Problem
from corridor.network.limits import MAX_TEXT

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    parse: Parser
    required: bool = True
    default: Any = None


def text(cell: str) -> str:
    """Any text but control characters (a NUL cannot be stored) and at most MAX_TEXT long."""
    if len(cell) > MAX_TEXT:
        raise ValueError(f"text of at most {MAX_TEXT} characters")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in cell):
        raise ValueError("text without control characters (NUL, ...)")
    return cell


_ID = re.compile(r"^[A-Za-z0-9_\-]+$")


def identifier(cell: str) -> str:
    if not _ID.match(cell):
        raise ValueError("an id of letters, digits, '_' or '-'")
    return cell


def number(
    *, minimum: float | None = None, above: float | None = None, maximum: float | None = None
) -> Parser:
    """A finite float parser with an optional inclusive minimum or exclusive lower bound, and an
    optional inclusive maximum; NaN and infinities are always refused.

    >>> number(above=0, maximum=168)("1e308")
    Traceback (most recent call last):
    ...
    ValueError: a number <= 168
    """

    def parse(cell: str) -> float:
        try:
            value = float(cell)
        except ValueError:
            raise ValueError("a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("a finite number")
        if minimum is not None and value < minimum:
            raise ValueError(f"a number >= {minimum:g}")
        if above is not None and value <= above:
            raise ValueError(f"a number > {above:g}")
        if maximum is not None and value > maximum:
            raise ValueError(f"a number <= {maximum:g}")
        return value

    return parse


def integer(cell: str) -> int:
    try:
        value = int(cell) if len(cell) <= 20 else int("x")
    except ValueError:
        raise ValueError("a whole number") from None
    if value <= 0:
        raise ValueError("a whole number > 0")
    return value


def whole(low: int, high: int) -> Parser:
    """A whole number within [low, high]."""

    def parse(cell: str) -> int:
        value = integer(cell)
        if not low <= value <= high:
            raise ValueError(f"a whole number between {low} and {high}")
        return value

    return parse


def boolean(cell: str) -> bool:
    lowered = cell.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError("true or false")


def choice(*options: str) -> Parser:
    def parse(cell: str) -> str:
        if cell not in options:
            raise ValueError("one of " + ", ".join(options))
        return cell

    return parse


def listing(item: Parser = text) -> Parser:
    """A `;`-separated list; each item parsed by `item`."""

    def parse(cell: str) -> tuple[Any, ...]:
        return tuple(item(part.strip()) for part in cell.split(";") if part.strip())

    return parse


_ISO2 = re.compile(r"^[A-Z]{2}$")


def country(cell: str) -> str:
    if not _ISO2.match(cell):
        raise ValueError("an ISO 3166-1 alpha-2 country code such as KZ")
    return cell


def bounded(low: float, high: float, what: str) -> Parser:
    """A number within [low, high]."""

    def parse(cell: str) -> float:
        value: float = number()(cell)
        if not low <= value <= high:
            raise ValueError(f"{what} between {low:g} and {high:g}")
        return value

    return parse


latitude = bounded(-90.0, 90.0, "a latitude")
longitude = bounded(-180.0, 180.0, "a longitude")


def shorten(name: str, keep: int = 120) -> str:
    """A file name as an error shows it: a name longer than `keep` is cut in the middle.

    >>> shorten("a" * 300, keep=10)
    'aaaaa…aaaaa'
    """
    return name if len(name) <= keep else name[: keep // 2] + "…" + name[-(keep // 2) :]


def load_toml(source: str) -> dict[str, Any]:
    """Parse TOML text; nesting too deep for the parser is a `TOMLDecodeError` too, so every
    reader reports it like any other syntax error (never a RecursionError).

    >>> load_toml("a = " + "[" * 5000 + "]" * 5000)
    Traceback (most recent call last):
    ...
    tomllib.TOMLDecodeError: arrays or tables nested too deeply
    """
    try:
        return tomllib.loads(source)
    except RecursionError:
        raise tomllib.TOMLDecodeError("arrays or tables nested too deeply") from None


PROVENANCE: dict[str, Column] = {
    "source": Column(listing(identifier)),
    "estimate": Column(boolean),
    "note": Column(text, required=False, default=""),
}


@dataclass(frozen=True)
class Row:
    """A parsed row; `number` is its line in the file (the header is line 1)."""

    number: int
    values: Mapping[str, Any]


def read_table(path: Path, schema: Mapping[str, Column], problems: list[Problem]) -> list[Row]:
    """Read a CSV file, parse each cell by the schema, and append problems for bad cells.

    Rows with any bad cell are dropped so that later cross-table checks only see parsed values.
    """
    name = shorten(path.name)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL in it
        is_file = False
    if not is_file:
        problems.append(Problem(name, None, None, None, "file is missing"))
        return []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            raw_rows = [(reader.line_num, raw) for raw in reader]
    except UnicodeDecodeError:
        problems.append(Problem(name, None, None, None, "file is not UTF-8 text"))
        return []
    except csv.Error as exc:
        problems.append(Problem(name, None, None, None, f"not a readable CSV file: {exc}"))
        return []

    header_ok = True
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(name, None, column, None, "column appears more than once"))
        header_ok = False
    for column in header:
        if column not in schema:
            problems.append(
                Problem(
                    name, None, column, None, "unknown column; expected one of " + ", ".join(schema)
                )
            )
            header_ok = False
    for column, spec in schema.items():
        if spec.required and column not in header:
            problems.append(Problem(name, None, column, None, "required column is missing"))
            header_ok = False
    if not header_ok:
        return []

    rows: list[Row] = []
    for index, raw in raw_rows:
        if None in raw:  # more cells than header columns
            problems.append(
                Problem(name, index, None, None, f"row has more than {len(header)} cells")
            )
            continue
        values: dict[str, Any] = {}
        ok = True
        for column, spec in schema.items():
            cell = (raw.get(column) or "").strip()
            if not cell:
                if spec.required:
                    problems.append(Problem(name, index, column, None, "value is required"))
                    ok = False
                values[column] = spec.default
                continue
            try:
                values[column] = spec.parse(cell)
            except ValueError as exc:
                problems.append(Problem(name, index, column, cell, f"expected {exc}"))
                ok = False
        if ok:
            rows.append(Row(index, values))
    return rows
