"""Time `cleanprod demo --enterprises N` on a fresh SQLite database (target: 500,000 in < 5 min).

Usage: .venv/bin/python bench/bench_demo.py [--enterprises 500000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=500_000)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    console = str(Path(sys.executable).parent / "cleanprod")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CLEANPROD_DATA_DIR": tmp}
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            env.pop("DATABASE_URL", None)
        run([console, "migrate", "--noinput", "-v0"], env)
        seconds = run([console, "demo", "--enterprises", str(args.enterprises)], env)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"demo --enterprises {args.enterprises}: {seconds:.1f} s on {backend} "
        f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()})"
    )
    return 0 if seconds < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
