"""Content-Security-Policy: a real per-response nonce (django-csp's NONCE, not the literal 'nonce'), carried by
every script of the page; no inline style or script in any template without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "pont" / "templates"


def nonce_of(response) -> str:
    policy = response["Content-Security-Policy"]
    found = re.findall(r"'nonce-([A-Za-z0-9+/=]+)'", policy)
    assert found, policy
    return found[0]


@pytest.mark.parametrize("url", ["/login/", "/care/help/", "/care/help/?lang=ar"])
def test_the_header_has_a_real_nonce_that_every_script_of_the_page_carries(db, url):
    response = Client().get(url)
    policy = response["Content-Security-Policy"]
    nonce = nonce_of(response)
    assert "'nonce'" not in policy  # the literal that browsers ignore
    assert f"script-src 'self' 'nonce-{nonce}'" in policy and f"style-src 'self' 'nonce-{nonce}'" in policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


def test_each_response_gets_its_own_nonce(db):
    assert nonce_of(Client().get("/login/")) != nonce_of(Client().get("/login/"))


def test_signed_in_pages_too(client_for):
    response = client_for("adviser").get("/people/")
    nonce = nonce_of(response)
    assert all(f'nonce="{nonce}"' in tag for tag in re.findall(r"<script\b[^>]*>", response.content.decode()))


def test_htmx_is_told_not_to_inject_its_inline_indicator_style(db):
    html = Client().get("/login/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    css = (TEMPLATES.parent / "static" / "pont" / "pont.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


def test_no_template_holds_inline_style_or_script_without_the_nonce():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        offenders += [f"{path.relative_to(TEMPLATES)}: style attribute" for _ in re.findall(r"\sstyle=", text)]
        offenders += [f"{path.relative_to(TEMPLATES)}: {m}" for m in re.findall(r"\son[a-z]+=", text)]
    assert not offenders, offenders
