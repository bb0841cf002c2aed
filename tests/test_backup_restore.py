"""Backup and restore (docs/operations.md): dump, restore into an empty database, compare.

Runs the portable path (``dumpdata`` → ``flush`` → ``loaddata``) so that it works on SQLite and
PostgreSQL alike; the whole round trip happens inside the test's transaction and is rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from cleanprod.accounts.tests.factories import authority, user
from cleanprod.audits.services import options as opt
from cleanprod.audits.tests import fixtures
from cleanprod.audits.tests.test_workflow import started, through_assessment
from cleanprod.registry.models import Engagement
from cleanprod.registry.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_content_type_cache() -> Iterator[None]:
    """flush re-creates the content types with new ids; the test's rollback restores the old
    rows but not ContentType's in-process cache, which later tests would read stale."""
    yield
    ContentType.objects.clear_cache()


# The project's apps: every row of their tables must come back identical.
PROJECT_APPS = [
    "accounts",
    "changelog",
    "regions",
    "industries",
    "registry",
    "audits",
    "evaluation",
    "plans",
    "notifications",
]
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def fingerprint() -> dict[str, tuple[int, str]]:
    """Per table: the row count and a hash of every row's values in primary-key order."""
    result = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            names = []
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is ContentType:
                    # Content types are re-created on the empty database with new ids; the
                    # dump refers to them by natural key, which is what must match.
                    names += [f"{f.name}__app_label", f"{f.name}__model"]
                else:
                    names.append(f.attname)
            digest = hashlib.sha256()
            rows = model._base_manager.order_by("pk").values_list(*names)
            for row in rows.iterator():
                digest.update(repr(row).encode())
            result[model._meta.label] = (rows.count(), digest.hexdigest())
    return result


def test_dump_then_restore_into_an_empty_database_gives_the_same_rows(tmp_path: Path) -> None:
    world = fixtures.build()
    audit = through_assessment(world, started(world))
    opt.add_option(
        world.enterprise_user,
        audit,
        code="F1",
        name="逆流漂洗",
        category="technology",
        investment=Decimal("150"),
    )
    expert = factories.expert(employer_kind="enterprise", employer_enterprise=world.enterprise)
    Engagement.objects.create(
        agency=world.agency, enterprise=world.other_enterprise, start_date=dt.date(2025, 1, 1)
    )
    user("expert_account", party="expert", expert=expert)
    authority("gd", "440000", role="viewer")
    before = fingerprint()
    assert before["registry.Enterprise"][0] >= 2 and before["changelog.ObjectChange"][0] > 0

    # YAML keeps both microseconds (the JSON encoder truncates times to milliseconds) and
    # surrounding whitespace of texts (the XML loader strips it): see docs/operations.md.
    dump = tmp_path / "cleanprod.yaml"
    call_command(
        "dumpdata",
        "--format=yaml",
        "--natural-foreign",  # content types by natural key; rows keep their ids (docs)
        *[f"--exclude={name}" for name in EXCLUDED],
        output=str(dump),
        verbosity=0,
    )
    if connection.vendor == "postgresql":
        # Inside the test's transaction, deferred foreign-key checks of the rows written above
        # are still pending, and PostgreSQL refuses TRUNCATE until they have run.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":  # back to checking at commit, as loaddata expects
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    emptied = fingerprint()
    assert emptied["registry.Enterprise"][0] == 0 and emptied["regions.Region"][0] == 0

    call_command("loaddata", str(dump), verbosity=0)
    after = fingerprint()
    assert after == before
