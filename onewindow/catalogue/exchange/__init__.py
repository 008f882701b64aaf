"""Catalogue import/export: Excel template, Excel and JSON exchange of whole catalogues.

Public surface (used by the management commands, and by a future upload page in the workbench):

- `catalogue_import(file=..., actor=..., publish=False, dry_run=False)` -> `ImportResult`
- `catalogue_export(file_format="xlsx" | "json", all_drafts=False)` -> bytes
- `catalogue_template()` -> bytes of the empty .xlsx template
"""

from .export import catalogue_export, catalogue_template, export_payloads, version_payload
from .importer import ImportResult, catalogue_import
from .payload import Location, Problem, format_problems

__all__ = [
    "catalogue_import",
    "ImportResult",
    "catalogue_export",
    "catalogue_template",
    "export_payloads",
    "version_payload",
    "Location",
    "Problem",
    "format_problems",
]
