"""Production settings: everything from the environment, and `check --deploy` is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

CONSOLE = str(Path(sys.executable).parent / "cleanprod")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [CONSOLE, *args], env={**base, **env}, capture_output=True, text=True, check=False
    )


def test_check_deploy_reports_nothing(tmp_path: Path) -> None:
    proc = _run(
        {
            "DJANGO_SETTINGS_MODULE": "cleanprod.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "cp.example.gov.cn",
            "CLEANPROD_DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues (0 silenced)" in proc.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    proc = _run(
        {
            "DJANGO_SETTINGS_MODULE": "cleanprod.settings.production",
            "DJANGO_ALLOWED_HOSTS": "cp.example.gov.cn",
            "CLEANPROD_DATA_DIR": str(tmp_path),
        },
        "check",
    )
    assert proc.returncode != 0 and "DJANGO_SECRET_KEY" in proc.stderr


def test_production_never_creates_demo_users() -> None:
    # Demo users are made only by `cleanprod demo`; no migration or settings module makes them.
    root = Path(__file__).resolve().parents[2]
    for path in root.rglob("*.py"):
        text = path.read_text("utf-8")
        if "demo_guangdong" in text:
            assert "demo" in path.parts or path.name in {"test_api.py", "test_settings.py"}, path
