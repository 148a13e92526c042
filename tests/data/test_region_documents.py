"""A region's roll-up as the official DOCX and PDF: the sums cell by cell and the coverage note."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from core import formats
from core.parsing import parse_bytes
from data import documents
from data.documents import rollup as rollup_documents
from data.tasks import generate_region_document
from public import rollup as rollups
from public.rollup_export import coverage_note
from tests.public.regions_support import DRAFT_SLUG, YEAR, corpus_region

pytestmark = pytest.mark.django_db
ROOT = "quanning"
needs_soffice = pytest.mark.skipif(
    documents.soffice_path() is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture
def region():
    return corpus_region()


def _url(kind: str, slug: str = ROOT) -> str:
    return reverse(f"reports:region_{kind}", kwargs={"slug": slug, "year": YEAR})


def _download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def _docx_cells(content: bytes) -> list[list[str]]:
    """Every table's cell texts row by row, as WordprocessingML holds them (merges once)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(content))
    rows = []
    for table in document.tables:
        for tr in table._tbl.iter(qn("w:tr")):
            rows.append(
                ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.iter(qn("w:tc"))]
            )
    return rows


def test_the_docx_holds_every_summed_cell_and_the_coverage_note(region, client):
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    assert rollup.reports.get(formats.EDITION_2019) and rollup.incomplete_cells
    response = client.get(_url("docx"))
    assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    # Read back by the portal's own parser, cell by cell against the roll-up's sums.
    result = parse_bytes(content, "rollup.docx")
    assert result.edition == formats.EDITION_2021
    sums = rollup.figures()
    assert result.figures() == sums
    filled = [c for c in rollup.cells.values() if c.total is not None]
    assert len(filled) > 100
    text = _docx_text(content)
    assert coverage_note(rollup) in text
    assert rollup_documents.rollup_document_data(rollup).title in text
    # The cells the 2019-edition report cannot fill are named; the draft's figures are absent.
    for summed in rollup.incomplete_cells:
        assert rollups.cell_label(summed.cell) in text
    cells = [value for row in _docx_cells(content) for value in row]
    assert "987654" not in text and not any("987654" in value for value in cells)
    assert DRAFT_SLUG not in {o["slug"] for o in rollup.offenders}


def test_the_docx_is_stored_once_and_rebuilt_when_the_sums_change(region, client, town):
    from django.core.files.storage import default_storage

    from filing.workflow import Status
    from tests.support.factories import make_report

    first = _download(client, _url("docx"))
    source = rollup_documents.rollup_document_source(
        rollups.region_rollup(organ=region[ROOT], year=YEAR)
    )
    assert default_storage.exists(source.name("docx"))
    assert _download(client, _url("docx")) == first
    # A new publication below the region changes the sums: a new file replaces the old one.
    town.parent = region[ROOT]
    town.save()
    make_report(town, YEAR, Status.PUBLISHED)
    second = _download(client, _url("docx"))
    assert second != first
    assert not default_storage.exists(source.name("docx"))


def test_the_roll_up_page_links_both_documents(region, client):
    html = client.get(f"/regions/{ROOT}/{YEAR}/").content.decode()
    assert f'href="{_url("docx")}"' in html and f'href="{_url("pdf")}"' in html


def test_an_organ_without_organs_below_has_no_roll_up_document(region, client):
    leaf = next(o for o in region.values() if not o.children.exists())
    assert client.get(_url("docx", leaf.slug)).status_code == 404
    assert client.get(_url("pdf", leaf.slug)).status_code == 404


@needs_soffice
@pytest.mark.slow
def test_the_pdf_reads_back_with_the_sums_and_the_coverage_note(region, client):
    rollup = rollups.region_rollup(organ=region[ROOT], year=YEAR)
    response = client.get(_url("pdf"))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    result = parse_bytes(content, "rollup.pdf")
    assert result.error is None and result.kind == "pdf"
    assert result.figures() == rollup.figures()
    assert formats.squash(coverage_note(rollup)) in formats.squash(result.text)


def test_with_a_worker_the_pdf_is_queued_once_per_roll_up(region, client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(documents, "soffice_path", lambda: "/usr/bin/soffice")
    queued = []
    monkeypatch.setattr(generate_region_document, "delay", lambda *args: queued.append(args))
    first = client.get(_url("pdf"))
    assert first.status_code == 202 and first["Refresh"] == "3"
    assert client.get(_url("pdf")).status_code == 202
    assert queued == [(ROOT, YEAR, "pdf")]


def test_without_libreoffice_the_pdf_explains_and_word_still_works(region, client, monkeypatch):
    monkeypatch.setattr(documents, "soffice_path", lambda: None)
    response = client.get(_url("pdf"))
    assert response.status_code == 503 and "LibreOffice" in response.content.decode()
    assert client.get(_url("docx")).status_code == 200


def test_the_task_stores_the_document_the_page_asks_for(region, monkeypatch):
    monkeypatch.setattr(documents.service, "docx_to_pdf", lambda data: b"%PDF-1.4 stub")
    name = generate_region_document(ROOT, YEAR, "pdf")
    source = rollup_documents.rollup_document_source(
        rollups.region_rollup(organ=region[ROOT], year=YEAR)
    )
    assert name == source.name("pdf")
    assert rollup_documents.rollup_document_cached(source=source, kind="pdf") == name
    assert generate_region_document("no-such-region", YEAR, "pdf") is None
