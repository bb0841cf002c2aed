from pathlib import Path

import polib
import pytest
from django.test import Client

LOCALE = Path(__file__).resolve().parents[2] / "locale"

pytestmark = pytest.mark.django_db


def test_chinese_by_default_even_for_english_browsers(client: Client) -> None:
    body = client.get("/registry/enterprises/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "统一社会信用代码" in body and "清洁生产信息化公共服务平台" in body


def test_english_on_request(client: Client) -> None:
    body = client.get("/registry/enterprises/", {"lang": "en"}).content.decode()
    assert "Unified social credit code" in body and "统一社会信用代码" not in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Enterprises" in client.get("/").content.decode()


def test_catalog_is_complete_and_compiled() -> None:
    po = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [
        e.msgid for e in po.fuzzy_entries()
    ]
    assert untranslated == []
    mo = polib.mofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.mo"))
    compiled = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in mo}
    source = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in po if e.msgid}
    assert source <= compiled, "run `make messages` to recompile django.mo"
