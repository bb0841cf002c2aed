"""Time `cleanprod import enterprises` of a 100,000-row .xlsx on a fresh SQLite database.

Target: under 30 s. The file (valid synthetic codes across Guangdong's county-level regions)
is made first and not timed; the import runs as a provincial officer, so the scope check runs.

Usage: .venv/bin/python bench/bench_import.py [--rows 100000] [--database-url URL]
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

TARGET_SECONDS = 30
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行政区划代码",
    "行业代码",
    "规模以上",
    "排污许可证编号",
    "地址",
    "联系人",
    "联系电话",
    "状态",
]


def make_file(path: Path, rows: int) -> None:
    """A workbook of ``rows`` valid enterprises (needs the migrated reference data)."""
    import django

    django.setup()
    from openpyxl import Workbook

    from cleanprod.demo.registry import synthetic_uscc
    from cleanprod.regions.models import Region

    leaves = list(Region.objects.leaves().filter(code__startswith="44").values_list("code", "name"))
    classes = ["3360", "2621", "1340", "3311", "2614", "3130", "2211", "1713"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业")
    sheet.append(HEADER)
    for i in range(rows):
        code, name = leaves[i % len(leaves)]
        uscc = synthetic_uscc(i, code)
        sheet.append(
            [
                uscc,
                f"{name}基准测试企业{i}有限公司",
                code,
                classes[i % len(classes)],
                "是" if i % 7 else "否",
                f"{uscc}001P" if i % 3 else "",
                f"{name}工业大道{i % 999 + 1}号",
                "张三",
                f"138{i:08d}",
                "在营",
            ]
        )
    workbook.save(path)


def run(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    args = parser.parse_args()
    console = str(Path(sys.executable).parent / "cleanprod")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CLEANPROD_DATA_DIR": tmp}
        env.setdefault("DJANGO_SETTINGS_MODULE", "cleanprod.settings.dev")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            env.pop("DATABASE_URL", None)
        run([console, "migrate", "--noinput", "-v0"], env)
        run([console, "load_reference"], env)
        officer = (
            "from cleanprod.accounts.models import User; User.objects.create_user("
            "'bench', party='authority', region_id='440000', department='mee', role='officer')"
        )
        run([console, "shell", "-c", officer], env)
        path = Path(tmp) / "enterprises.xlsx"
        made = run([sys.executable, __file__, "--make-file", str(path), str(args.rows)], env)
        print(f"made {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {made:.1f} s", flush=True)
        seconds = run([console, "import", "enterprises", str(path), "--user", "bench"], env)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"import enterprises, {args.rows} rows (.xlsx): {seconds:.1f} s on {backend} "
        f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()})"
    )
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--make-file":
        make_file(Path(sys.argv[2]), int(sys.argv[3]))
        sys.exit(0)
    sys.exit(main())
