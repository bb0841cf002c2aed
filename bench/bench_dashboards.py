"""Time every progress-dashboard endpoint (target: p95 < 200 ms on PostgreSQL, 500,000
enterprises).

Usage:
  .venv/bin/python bench/bench_dashboards.py --database-url postgres://postgres@127.0.0.1/cp_bench \
      [--runs 30] [--refresh]

Assumes the dataset exists (``cleanprod demo --enterprises 500000`` with the plans' synthetic
data); ``--refresh`` first recounts the summaries (``cleanprod refresh_plan_metrics``) and
prints how long that took. Requests go through Django's test client in process, as the demo
users (national, Guangdong, Shenzhen); the table gives p50 / p95 / max per endpoint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

LIMIT_MS = 200.0


def cases(tech: str) -> list[tuple[str, str, str, dict[str, str]]]:
    """(label, user, path, query) of every dashboard endpoint and typical filters."""
    return [
        ("national page", "demo_national", "/plans/", {}),
        ("national JSON", "demo_national", "/plans/", {"format": "json"}),
        (
            "national COD 2020",
            "demo_national",
            "/plans/",
            {"format": "json", "metric": "cod", "year": "2020"},
        ),
        ("national division 26", "demo_national", "/plans/", {"format": "json", "industry": "26"}),
        (
            "national group",
            "demo_national",
            "/plans/",
            {"format": "json", "group": "twelfth-heavy-metal"},
        ),
        (
            "national penetration",
            "demo_national",
            "/plans/",
            {"format": "json", "metric": f"penetration:{tech}"},
        ),
        ("national .xlsx", "demo_national", "/plans/export.xlsx", {}),
        ("national API", "demo_national", "/api/plans/dashboard/", {}),
        ("Guangdong page", "demo_guangdong", "/plans/", {}),
        ("Guangdong JSON", "demo_guangdong", "/plans/", {"format": "json", "metric": "so2"}),
        (
            "Guangdong penetration",
            "demo_guangdong",
            "/plans/",
            {"format": "json", "metric": f"penetration:{tech}"},
        ),
        ("Shenzhen page", "demo_shenzhen", "/plans/", {}),
        ("Shenzhen JSON", "demo_shenzhen", "/plans/", {"format": "json", "metric": "cod"}),
        (
            "Shenzhen penetration",
            "demo_shenzhen",
            "/plans/",
            {"format": "json", "metric": f"penetration:{tech}"},
        ),
        (
            "Shenzhen division 33 (live)",
            "demo_shenzhen",
            "/plans/",
            {"format": "json", "industry": "33"},
        ),
        (
            "Shenzhen group (live)",
            "demo_shenzhen",
            "/plans/",
            {"format": "json", "group": "twelfth-key"},
        ),
        ("Nanshan county JSON", "demo_shenzhen", "/plans/", {"format": "json", "region": "440305"}),
        ("target decomposition", "demo_national", "/plans/targets/12-cod-reduction/", {}),
    ]


def time_case(client: Any, path: str, params: dict[str, str], runs: int) -> list[float] | None:
    timings = []
    for i in range(runs + 2):
        start = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code == 404 and i == 0:
            return None  # e.g. the API not wired yet
        assert response.status_code == 200, (path, params, response.status_code)
        if i >= 2:  # two warm-up requests
            timings.append(elapsed)
    return sorted(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--refresh", action="store_true", help="recount the summaries first")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanprod.settings.dev")

    import django

    django.setup()
    from django.test import Client

    from cleanprod.accounts.models import User
    from cleanprod.plans.models import Adoption, MetricSummary
    from cleanprod.registry.models import Enterprise

    if args.refresh:
        from cleanprod.plans.summary import refresh_summaries

        start = time.perf_counter()
        counts = refresh_summaries()
        print(f"refresh_plan_metrics: {time.perf_counter() - start:.1f} s {counts}")
    print(
        f"enterprises {Enterprise.objects.count():,}; summary rows "
        f"{MetricSummary.objects.count():,}; adoptions {Adoption.objects.count():,}"
    )
    tech = Adoption.objects.values_list("technology__slug", flat=True).first() or (
        "12-tech-paper-ecf-bleaching"
    )
    clients: dict[str, Any] = {}
    failed = False
    print(f"{'endpoint':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, username, path, params in cases(tech):
        if username not in clients:
            clients[username] = Client(HTTP_HOST="localhost")
            clients[username].force_login(User.objects.get(username=username))
        timings = time_case(clients[username], path, params, args.runs)
        if timings is None:
            print(f"{label:28} {'not found (not wired?)':>26}")
            continue
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        failed |= p95 >= LIMIT_MS
        flag = "" if p95 < LIMIT_MS else "  SLOW"
        print(f"{label:28} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}{flag}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
