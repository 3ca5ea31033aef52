r"""Response bodies as compact UTF-8 JSON: orjson when installed (the `server` extra), else the
standard library with the same separators.

Both give the same JSON values; orjson is about eight times faster on a route answer (tens
of thousands of floats), which is most of what an answer costs after the search itself.

>>> to_json({"a": [1.5, "Łódź"], "b": None})
b'{"a":[1.5,"\xc5\x81\xc3\xb3d\xc5\xba"],"b":null}'
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - the server extra installs it
    orjson = None  # type: ignore[assignment]


def to_json(value: Any) -> bytes:
    """`value` (JSON-ready dicts, lists, str, int, float, bool, None) as compact UTF-8 JSON."""
    if orjson is not None:
        return orjson.dumps(value)
    return stdlib_json(value)


def stdlib_json(value: Any) -> bytes:
    """The standard library's encoding with the separators and characters orjson uses."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
