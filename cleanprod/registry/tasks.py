"""Background tasks of the registry: the web import runs in a worker, not in the request."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task

from cleanprod.jobs import services as jobs
from cleanprod.registry.io import SPECS, import_file

# The job row keeps this many row errors; the count of all of them is in the result.
MAX_ERRORS_KEPT = 2000


@task()
def import_registry_file(job_id: int) -> dict[str, object]:
    """Import the file saved in the job as its user; the job ends with the counts or errors."""
    with jobs.running(job_id) as (job, progress):
        params = job.params
        user = get_user_model().objects.get(pk=job.user_id)
        spec = SPECS[params["model"]]
        result = import_file(
            spec,
            user,
            io.BytesIO(bytes(job.payload or b"")),
            params["filename"],
            dry_run=bool(params.get("dry_run")),
            progress=progress,
        )
        summary: dict[str, object] = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "dry_run": result.dry_run,
            "error_count": len(result.errors),
        }
        if result.errors:
            jobs.fail(
                job,
                _("Errors found: %(count)d; nothing was written.") % {"count": len(result.errors)},
                [e.as_dict() for e in result.errors[:MAX_ERRORS_KEPT]],
                summary,
            )
        else:
            jobs.finish(job, summary)
        return summary
