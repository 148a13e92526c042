"""The admin works under its own Content-Security-Policy; public pages keep the strict one."""

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_public_pages_allow_no_inline_script_or_style(client):
    directives = _directives(client.get("/"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert "script-src-attr" not in directives


def test_the_admin_allows_the_inline_handlers_and_styles_its_pages_use(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    directives = _directives(response)
    assert "'unsafe-inline'" in directives["style-src"]
    # Scripts stay strict: no inline script, and only the export page's handler by its hash.
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src-attr"]
    assert "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='" in directives["script-src-attr"]
    # The rest of the policy stays: no framing, no foreign origins.
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'self'" in directives["script-src"]
