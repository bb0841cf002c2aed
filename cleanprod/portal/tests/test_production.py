"""Production settings as deployed: collectstatic passes, then pages and static files serve.

Everything runs in subprocesses under ``cleanprod.settings.production`` (DEBUG off, whitenoise's
manifest storage), with the Django test client inside the last one: no server, no port, no
timing assumptions.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

CONSOLE = str(Path(sys.executable).parent / "cleanprod")

SERVE = r"""
import re
import django
django.setup()
from django.conf import settings
from django.test import Client

assert settings.DEBUG is False
client = Client(HTTP_HOST="cp.example.gov.cn")
home = client.get("/", secure=True)
assert home.status_code == 200, home.status_code
body = home.content.decode()
assert "Content-Security-Policy" in home.headers, dict(home.headers)
# Static URLs are the hashed names from collectstatic's manifest, and whitenoise serves them.
css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', body)
js = re.search(r'src="(/static/js/autosubmit\.[0-9a-f]{12}\.js)"', body)
assert css and js, body[:2000]
for url in (css.group(1), js.group(1)):
    asset = client.get(url, secure=True)
    assert asset.status_code == 200, (url, asset.status_code)
login = client.get("/accounts/login/", secure=True)
assert login.status_code == 200, login.status_code
print("SERVED OK")
"""


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CLEANPROD_"))
    }
    return subprocess.run(
        list(args), env={**base, **env}, capture_output=True, text=True, check=False, timeout=900
    )


@pytest.mark.slow
def test_collectstatic_then_pages_serve_under_production_settings(tmp_path: Path) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "cleanprod.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "cp.example.gov.cn",
        "CLEANPROD_DATA_DIR": str(tmp_path),
    }
    collected = _run(env, CONSOLE, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
    migrated = _run(env, CONSOLE, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    served = _run(env, sys.executable, "-c", SERVE)
    assert served.returncode == 0 and "SERVED OK" in served.stdout, (
        served.stdout[-3000:] + served.stderr[-5000:]
    )


def test_vendored_assets_name_no_missing_source_maps() -> None:
    # whitenoise's manifest storage fails collectstatic on a sourceMappingURL to a missing file.
    vendor = Path(__file__).resolve().parents[2] / "static" / "vendor"
    for path in [*vendor.rglob("*.js"), *vendor.rglob("*.css")]:
        text = path.read_text("utf-8", errors="replace")
        if "sourceMappingURL=" in text:
            name = text.split("sourceMappingURL=", 1)[1].split()[0]
            assert (path.parent / name).exists(), f"{path} names a missing {name}"
