"""The OpenAPI schema is valid, and a property-based run against the live server finds no
server error and no response that contradicts the schema (schemathesis generates requests for
every documented operation), once as a national administrator and once as a prefectural
officer."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections import defaultdict
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from django.core.management import call_command
from rest_framework.throttling import SimpleRateThrottle

from cleanprod.accounts.tests.factories import PASSWORD, authority
from cleanprod.audits.models import Roster, RosterEntry
from cleanprod.industries.loader import load_groups, load_industries
from cleanprod.plans.summary import refresh_summaries
from cleanprod.plans.tests.world import build_world
from cleanprod.regions.loader import load_regions
from cleanprod.registry.tests import factories

HOOKS = "tests.api.schemathesis_hooks"

# The checks that hold for every response. Left out on purpose:
# - negative_data_rejection / positive_data_acceptance: the API accepts some inputs the schema
#   cannot express as invalid (e.g. a region code outside the user's scope is valid JSON but a
#   403/400 decided by policy) and rejects some schema-valid ones by business rule (a USCC
#   checksum, an industry outside the agency's filing): both are intended behaviour.
# - missing_required_header, unsupported_method, allow_header_conformance, use_after_free,
#   ensure_resource_availability, ignored_auth, object_level_authorization: need auth-free or
#   stateful runs that this test does not do (the permission suite covers authorisation).
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


@pytest.mark.django_db
def test_schema_is_valid_openapi_3(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(out), stdout=StringIO()
    )
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/enterprises/",
        "/api/enterprises/{id}/history/",
        "/api/regions/",
        "/api/token/",
        "/api/users/",
        "/api/changes/",
    ]:
        assert path in schema["paths"], path
    # Dashboard parameters are declared, so the fuzzer tries malformed values for them.
    for path in ["/api/audits/dashboard/", "/api/plans/dashboard/"]:
        names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
        assert "year" in names, (path, names)
    # Error responses are documented on every operation (the fuzzer checks status codes).
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), path
                if method in {"put", "patch", "delete"}:
                    assert "409" in operation["responses"], (method, path)
    # Bare lists documented as bare lists (not as a paginated page).
    for path in ["/api/enterprises/{id}/history/", "/api/rosters/{id}/entries/"]:
        ok = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"]["type"] == "array", path
    export = schema["paths"]["/api/enterprises/export/"]["get"]
    assert {media.split(";")[0] for media in export["responses"]["200"]["content"]} == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert {"format", "region", "industry"} <= {p["name"] for p in export["parameters"]}


def _known_keys(exclude_users: set[int]) -> dict[str, list[Any]]:
    """Keys of stored rows per collection, so the fuzzer reaches real objects (see the hooks)."""
    from cleanprod.accounts.models import User
    from cleanprod.audits.models import Audit, Option, Review, Roster
    from cleanprod.changelog.models import ObjectChange
    from cleanprod.evaluation.models import Assessment, SystemVersion
    from cleanprod.industries.models import Industry, IndustryGroup
    from cleanprod.plans.models import CarbonCalculation, Target, TargetAllocation, Technology
    from cleanprod.registry.models import Agency, Engagement, Enterprise, Expert, Park

    def keys(queryset: Any, field: str = "pk", n: int = 5) -> list[Any]:
        return list(queryset.order_by(field).values_list(field, flat=True)[:n])

    return {
        "/api/enterprises/": keys(Enterprise.objects),
        "/api/parks/": keys(Park.objects),
        "/api/agencies/": keys(Agency.objects),
        "/api/experts/": keys(Expert.objects),
        "/api/engagements/": keys(Engagement.objects),
        "/api/audits/": keys(Audit.objects),
        "/api/options/": keys(Option.objects),
        "/api/reviews/": keys(Review.objects),
        "/api/rosters/": keys(Roster.objects),
        "/api/assessments/": keys(Assessment.objects),
        "/api/changes/": keys(ObjectChange.objects),
        "/api/users/": keys(User.objects.exclude(pk__in=exclude_users)),
        "/api/regions/": ["440000", "440300", "440305", "110105"],
        "/api/industries/": keys(Industry.objects, "code"),
        "/api/industry-groups/": keys(IndustryGroup.objects, "slug"),
        "/api/indicator-systems/": keys(SystemVersion.objects.filter(current=True), "slug"),
        "/api/plans/targets/": keys(Target.objects, "slug"),
        "/api/plans/technologies/": keys(Technology.objects, "slug"),
        "/api/plans/allocations/": keys(TargetAllocation.objects),
        "/api/plans/carbon/": keys(CarbonCalculation.objects),
    }


def _token(base: str, username: str) -> str:
    """A token from the public endpoint (whatever the token backend, the contract is this)."""
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/api/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token: str = json.load(response)["token"]
    return token


def _fuzz(
    base: str, token: str, own_id: int, role: str, reports: Path, known: str
) -> tuple[int, str]:
    st = Path(sys.executable).parent / "st"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": HOOKS,
        # The hooks keep the fuzzer off its own account (see schemathesis_hooks.py).
        "CLEANPROD_FUZZ_OWN_USER": str(own_id),
        "CLEANPROD_FUZZ_KNOWN": known,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    proc = subprocess.run(
        [
            str(st),
            "run",
            f"{base}/api/schema/",
            "--checks",
            CHECKS,
            "--header",
            f"Authorization: Token {token}",
            "--max-examples",
            os.environ.get("CLEANPROD_FUZZ_EXAMPLES", "8"),
            "--phases",
            "examples,coverage,fuzzing",
            "--max-time",
            "60",
            "--workers",
            "1",
            # A fixed seed keeps CI reproducible; set CLEANPROD_FUZZ_SEED to explore others.
            "--seed",
            os.environ.get("CLEANPROD_FUZZ_SEED", "20261121"),
            "--suppress-health-check",
            "all",
            # Never revoke the run's own token or change its password (knox's logout endpoints,
            # an administrator's revoke-tokens): the rest of the run would be 401s that pass
            # every check unnoticed.
            # The token endpoint itself is fuzzed: both tokens are issued before any run, so a
            # lock-out its failed logins cause cannot stop the other run.
            "--exclude-path-regex",
            r"logout|password|/revoke-tokens/$",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
    )
    # The full report goes to a file (CI keeps it as an artefact); the assertion shows the tail.
    out = Path(os.environ.get("CLEANPROD_FUZZ_REPORT_DIR") or reports) / f"schemathesis-{role}.txt"
    out.write_text(proc.stdout + proc.stderr)
    report = f"[{role}] full report: {out}\n" + proc.stdout[-6000:] + proc.stderr[-2000:]
    tested = re.search(r"Tested:\s+(\d+)", proc.stdout)
    assert tested is not None and int(tested.group(1)) >= 80, report  # every documented operation
    return proc.returncode, report


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_schemathesis_finds_no_server_error_nor_schema_violation(
    live_server: Any, tmp_path: Path
) -> None:
    load_regions()
    load_industries()
    load_groups()
    build_world()  # enterprises, audits, options, assessments, plan targets and technologies
    refresh_summaries()
    for region in ("440305", "110105"):
        enterprise = factories.enterprise(region=region)
        park = factories.park(region=region, published=True)
        factories.agency(region=region, published=True)
        roster = Roster.objects.create(
            region_id=region[:2] + "0000", year=2026, kind="mandatory", title="名单"
        )
        RosterEntry.objects.create(roster=roster, enterprise=enterprise, origin="added")
        RosterEntry.objects.create(roster=roster, park=park, origin="added")  # no enterprise
    admin = authority("fuzz-admin", None, role="administrator", department="ndrc")
    officer = authority("fuzz-officer", "440300", role="officer")
    known = json.dumps(_known_keys(exclude_users={admin.pk, officer.pk}))
    # Both tokens first: the administrator's run may delete or deactivate other accounts.
    # No 429 from throttling in the middle of a run. DRF reads the rates when its throttle
    # classes are defined, so override_settings alone would not reach them.
    rates = defaultdict(lambda: "1000000/second")
    with mock.patch.object(SimpleRateThrottle, "THROTTLE_RATES", rates):
        tokens = {
            "officer": (_token(live_server.url, officer.username), officer.pk),
            "administrator": (_token(live_server.url, admin.username), admin.pk),
        }
        failures = []
        for role, (token, own_id) in tokens.items():
            code, report = _fuzz(live_server.url, token, own_id, role, tmp_path, known)
            if code != 0:
                failures.append(report)
    assert not failures, "\n\n".join(failures)
