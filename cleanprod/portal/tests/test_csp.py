"""Content-Security-Policy: strict on our pages, relaxed only for the admin and the API docs,
and no template carries inline script the policy would silently block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def test_pages_carry_a_strict_policy(client: Client) -> None:
    for url in ("/", "/accounts/login/", "/registry/enterprises/"):
        policy = directives(client.get(url)["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url  # no inline script, no eval
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_admin_and_api_docs_get_the_relaxed_policy(client: Client) -> None:
    for url in ("/admin/login/", "/api/docs/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert "'unsafe-inline'" in policy["script-src"], url
        assert "'unsafe-eval'" not in policy["script-src"], url


def test_no_template_has_inline_script_or_event_handlers() -> None:
    templates = [*PACKAGE.glob("templates/**/*.html"), *PACKAGE.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    for path in templates:
        text = path.read_text("utf-8")
        # json_script's <script type="application/json"> is data, not script: allowed.
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "hx-on" not in text, path  # htmx's hx-on evaluates code: needs unsafe-eval
        assert "javascript:" not in text, path
