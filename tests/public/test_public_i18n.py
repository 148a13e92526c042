"""The public pages in Chinese by default and in English on request."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from filing.workflow import Status
from tests.support.factories import make_report

pytestmark = pytest.mark.django_db


def test_the_list_is_chinese_by_default(client):
    html = client.get(reverse("reports:report_list")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>已发布的年度报告</h1>" in html
    assert ">年度</th>" in html or 'for="id_year">年度</label>' in html


def test_the_list_speaks_english_to_an_english_browser(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    html = client.get(reverse("reports:report_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Published annual reports</h1>" in html
    assert '<label for="id_year">Year</label>' in html
    assert '<th scope="col">Organ</th>' in html
    assert "Checks passed" in html and "1 report" in html
    assert "已发布的年度报告" not in html


def test_the_language_switch_form_sets_english_for_later_pages(client, town):
    make_report(town, 2023, Status.PUBLISHED)
    page = client.get(reverse("reports:report_list")).content.decode()
    switch = reverse("reports:language_switch", args=["en"])
    assert f'<a href="{switch}?next=/reports/" lang="en" hreflang="en">English</a>' in page
    response = client.get(switch, {"next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    assert client.get(switch, {"next": "https://evil.example/"})["Location"] == "/"
    html = client.get("/reports/zimao/2023/").content.decode()
    assert "1. Overview" in html and "Proactive disclosure of government information" in html
    assert "Table figures (CSV)" in html and "Checks passed" in html
    home = client.get("/").content.decode()
    assert "Read the published reports" in home and "All published reports" in home


def test_the_compiled_catalogue_is_committed_beside_its_source():
    folder = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    po, mo = folder / "django.po", folder / "django.mo"
    assert po.exists() and mo.exists()
    # Every translated message of the .po is in the .mo (compilemessages was run after editing).
    import ast
    import gettext
    import re

    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    pairs = re.findall(
        r'^msgid ("(?:[^"\\]|\\.)*")\nmsgstr ("(?:[^"\\]|\\.)+")$', po.read_text(), re.M
    )
    translated = {ast.literal_eval(a): ast.literal_eval(b) for a, b in pairs}
    translated.pop("", None)
    assert len(translated) > 50
    stale = {k: v for k, v in translated.items() if catalogue.gettext(k) != v}
    assert stale == {}, "run: python manage.py compilemessages -l en --ignore=.venv"
    assert catalogue.gettext("已发布的年度报告") == "Published annual reports"
