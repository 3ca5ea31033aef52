"""Saved work: shipments and scenarios in a SQL database (SQLite by default, PostgreSQL by URL).

`open_store(url)` connects, migrates the schema to the newest revision and returns a `Store`;
the functions of `corridor.store.repository` read and write through it, one transaction each.
"""

from corridor.store.database import Store, default_url, normalize_url, open_store
from corridor.store.records import SavedScenario, SavedShipment

__all__ = [
    "SavedScenario",
    "SavedShipment",
    "Store",
    "default_url",
    "normalize_url",
    "open_store",
]
