"""The service catalog: services and life events as schema-validated data files, loaded into immutable values."""

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
