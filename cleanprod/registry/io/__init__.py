"""Excel and CSV import and export of the registry.

``import_file(spec, user, file, filename)`` validates every row and writes all or nothing;
``export_*`` and ``template_*`` write files with the same Chinese columns (see :mod:`.specs`).
"""

from __future__ import annotations

from typing import IO, Any

from cleanprod.registry.io.importer import Importer, ImportResult, Progress, RowError
from cleanprod.registry.io.specs import SPECS, ModelSpec, spec_for

__all__ = ["SPECS", "ImportResult", "ModelSpec", "RowError", "import_file", "spec_for"]


def import_file(
    spec: ModelSpec,
    user: Any,
    file: IO[bytes],
    filename: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an .xlsx or .csv file of ``spec``'s model as ``user``; see :mod:`.importer`."""
    return Importer(spec, user, dry_run=dry_run, progress=progress).run(file, filename)
