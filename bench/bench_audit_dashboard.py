"""Time the authority's audit dashboard at national scale (target: < 500 ms on PostgreSQL).

Usage:
  .venv/bin/python bench/bench_audit_dashboard.py \
      --database-url postgres://postgres@127.0.0.1/cp_bench [--build 500000] [--runs 30]

``--build N`` first migrates the database and runs ``cleanprod demo --enterprises N`` (the
national-scale dataset with its audits). The timings call the dashboard views in process
through Django's test client, as the demo users, and report p50 / p95 / max per view.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--build", type=int, default=0)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanprod.settings.dev")
    console = str(Path(sys.executable).parent / "cleanprod")
    if args.build:
        subprocess.run([console, "migrate", "--noinput", "-v0"], check=True)
        subprocess.run([console, "demo", "--enterprises", str(args.build)], check=True)

    import django

    django.setup()
    from django.test import Client

    from cleanprod.accounts.models import User
    from cleanprod.audits.models import Audit

    print(f"audits in the database: {Audit.objects.count():,}")
    cases = [
        ("national, JSON", "demo_national", {"format": "json"}),
        ("national, page", "demo_national", {}),
        ("national, 2025, JSON", "demo_national", {"format": "json", "year": "2025"}),
        ("Guangdong, JSON", "demo_guangdong", {"format": "json"}),
        ("Shenzhen, page", "demo_shenzhen", {}),
    ]
    failed = False
    print(f"{'view':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, username, params in cases:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        timings = []
        for i in range(args.runs + 2):
            start = time.perf_counter()
            response = client.get("/audits/dashboard/", params)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            if i >= 2:  # two warm-up requests
                timings.append(elapsed)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        failed |= p95 >= 500
        print(f"{label:24} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
