"""The service catalog: services and life events as schema-validated data files, loaded into immutable values.

The names below are imported on first use (PEP 562): the kiosk creates its `kiosk.catalog.provider` before the first
paint, and importing this package must not load the loader (jsonschema, ~80 ms) or the model until the catalog is
loaded in the background.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.catalog.loader import DEMO_CATALOG_DIR, CatalogReport, Problem, load_catalog
    from kiosk.catalog.model import (
        QUESTION_TYPES,
        Choice,
        Contact,
        LifeEvent,
        Page,
        Question,
        Repeat,
        Service,
        ServiceCatalog,
        Target,
        Text,
    )

_LOADER = ("DEMO_CATALOG_DIR", "CatalogReport", "Problem", "load_catalog")
_MODEL = (
    "QUESTION_TYPES",
    "Choice",
    "Contact",
    "LifeEvent",
    "Page",
    "Question",
    "Repeat",
    "Service",
    "ServiceCatalog",
    "Target",
    "Text",
)
_HOMES = {name: "kiosk.catalog.loader" for name in _LOADER} | {name: "kiosk.catalog.model" for name in _MODEL}

__all__ = [
    "DEMO_CATALOG_DIR",
    "QUESTION_TYPES",
    "CatalogReport",
    "Choice",
    "Contact",
    "LifeEvent",
    "Page",
    "Problem",
    "Question",
    "Repeat",
    "Service",
    "ServiceCatalog",
    "Target",
    "Text",
    "load_catalog",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value
