"""Run every benchmark in this directory in turn (`make bench`)."""

import subprocess
import sys
from pathlib import Path

BENCHES = ["bench_demo.py", "bench_scoring.py", "bench_import.py"]
# These need a PostgreSQL database with the national dataset: run them by hand with
# --database-url (see docs/performance.md): bench_audit_dashboard.py, bench_dashboards.py.


def main() -> int:
    here = Path(__file__).resolve().parent
    failed = 0
    for name in BENCHES:
        path = here / name
        if not path.exists():
            continue
        print(f"== {name}", flush=True)
        failed += subprocess.run([sys.executable, str(path)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
