"""Typed errors a user can cause. Each message says what to change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class CorridorError(Exception):
    """Base class of every error corridor raises for a user's mistake."""


@dataclass(frozen=True)
class Problem:
    """One problem in a network package: where it is and what was expected."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        shown = f" (got {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.message}{shown}"


class NetworkValidationError(CorridorError):
    """A network package has problems; all of them are listed."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in network {path}:\n{lines}")


class UnknownPlaceError(CorridorError):
    """No node matches a place query."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no place matches {query!r}{hint}")


class CountryAsPlaceError(UnknownPlaceError):
    """A country's name was given where a place (a node) is expected."""

    def __init__(self, query: str, iso2: str, country: str, suggestions: Sequence[str]) -> None:
        self.iso2 = iso2
        self.country = country
        CorridorError.__init__(
            self,
            f"{query!r} is a country ({country}, {iso2}), not a place; "
            + (
                f"name a node in {iso2}, e.g. {', '.join(suggestions)}"
                if suggestions
                else f"this network has no node in {iso2}"
            ),
        )
        self.query = query
        self.suggestions = tuple(suggestions)


class AmbiguousPlaceError(CorridorError):
    """Several nodes match a place query equally well."""

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        super().__init__(f"{query!r} is ambiguous; use one of: {', '.join(self.candidates)}")


class QueryError(CorridorError):
    """A query field has a value the planner cannot use."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NoRouteError(CorridorError):
    """No route satisfies the query; the message names the constraint that removed the last one."""


class InputFileError(CorridorError):
    """A user's input file (OD set, demand table, scenario) has problems; all are listed."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in {path}:\n{lines}")


class ScenarioError(CorridorError):
    """A scenario change cannot apply to a network (unknown id, a value that breaks it)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class StoreError(CorridorError):
    """The database of saved work cannot be opened, migrated or written (bad URL, server down)."""


class OptionalDependencyError(CorridorError, ImportError):
    """A feature needs a package from an optional extra that is not installed."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{feature} needs {package}; install it with `pip install 'corridor[{extra}]'`"
        )


class SearchBudgetError(CorridorError):
    """A route search ran past its deadline or label budget and was stopped."""

    def __init__(self, what: str, spent: float, labels: int) -> None:
        self.what = what
        self.spent = spent
        self.labels = labels
        hint = (
            "raise --time-limit (or Query(time_limit=...)), or set a larger --epsilon"
            if what == "time"
            else "raise max_labels, or set a larger epsilon"
        )
        after = f"after {spent:.3g} s" if what == "time" else f"at {labels:,} labels"
        super().__init__(f"the route search stopped at its {what} limit {after}; {hint}")
