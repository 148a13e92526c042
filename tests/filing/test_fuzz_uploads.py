"""Fuzzing uploads: generated and mutated report files never crash the parser or the upload view.

Every file is derived from the sample corpus (tests/support/fuzz.py): reports as text in
UTF-8, UTF-8 with BOM, GBK/GB18030 and UTF-16, as DOCX, HTML and PDF, then truncated, byte
flipped, NUL-stuffed, spliced and repeated; plus hostile files (zip bombs, entity bombs,
deep nesting, huge tables). ``parse_bytes`` must return a result or raise ExtractionError;
the real upload view must never answer 500, and each parse run must end DONE or FAILED (with
a message) within the time limit.

The normal suite runs a modest, derandomised number of examples (200). For thousands:

    python -m pytest tests/filing/test_fuzz_uploads.py --hypothesis-profile=fuzz       # 5,000
    FUZZ_EXAMPLES=20000 python -m pytest tests/filing/test_fuzz_uploads.py            # any number
"""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given

from core.parsing import ExtractionError, ParseResult, parse_bytes
from filing.models import ParseRun
from tests.support import fuzz

# Far below the Celery soft limit (270 s): a file that takes longer is a regression.
PARSE_SECONDS = 60
# Hostile files that take several seconds each: once each here, not in every fuzz loop.
SLOW = {"table.docx", "wide.docx", "big-table.html", "rows.txt"}


def hostile(name: str) -> bytes:
    return dict(fuzz.hostile_files())[name]


def parse_cleanly(data: bytes, name: str) -> ParseResult | ExtractionError:
    """parse_bytes returns a result or raises ExtractionError; anything else fails the test."""
    started = time.monotonic()
    try:
        outcome = parse_bytes(data, name)
    except ExtractionError as exc:
        outcome = exc
        assert str(exc) and exc.code
    else:
        assert isinstance(outcome, ParseResult)
        assert outcome.error is None or (outcome.error and outcome.error_code)
    assert time.monotonic() - started < PARSE_SECONDS, name
    return outcome


HOSTILE_NAMES = [
    "bomb.docx",
    "ratio.docx",
    "laughs.docx",
    "deep.docx",
    "table.docx",
    "wide.docx",
    "deep.html",
    "deep-table.html",
    "big-table.html",
    "spans.html",
    "rows.txt",
    "tabs.txt",
    "nul.txt",
    "nuls.txt",
    "utf16-nul.txt",
    "empty.txt",
    "blank.txt",
    "bom-only.txt",
    "pages.pdf",
    "truncated.pdf",
    "header.pdf",
    "zip-in-zip.docx",
    "random.pdf",
]
EXPECTED_CODES = {
    "bomb.docx": "zip_bomb",
    "ratio.docx": "zip_bomb",
    "laughs.docx": "corrupt",
    "pages.pdf": "too_large",
    "truncated.pdf": "corrupt",
    "empty.txt": "empty",
    "blank.txt": "empty",
    "nuls.txt": "unsupported_type",
}


def test_every_hostile_file_is_listed():
    assert [name for name, _ in fuzz.hostile_files()] == HOSTILE_NAMES


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_files_are_read_or_refused_in_time(name):
    outcome = parse_cleanly(hostile(name), name)
    code = outcome.code if isinstance(outcome, ExtractionError) else outcome.error_code
    if name in EXPECTED_CODES:
        assert code == EXPECTED_CODES[name]


def test_the_reports_read_in_every_encoding_and_format():
    for name, data in fuzz.base_files():
        outcome = parse_cleanly(data, name)
        assert isinstance(outcome, ParseResult) and outcome.error is None, name
        if not name.endswith(".pdf"):
            assert outcome.year, name


@fuzz.fuzz_settings()
@given(fuzz.report_files())
def test_mutated_files_parse_or_fail_with_an_extraction_error_only(file):
    name, data = file
    if name in SLOW:  # the unmutated slow ones are covered once above
        return
    parse_cleanly(data, name)


# ---------------------------------------------------------------- through the upload view


def post_and_check(client, report, name: str, data: bytes, capture) -> None:
    """Upload through the real view (parse run executed in-process); check what it left."""
    before = set(ParseRun.objects.values_list("pk", flat=True))
    upload_url = reverse("reports:attachment_upload", kwargs={"pk": report.pk})
    started = time.monotonic()
    with capture(execute=True):
        response = client.post(upload_url, {"files": [SimpleUploadedFile(name, data)]})
    assert response.status_code in (200, 302), (name, response.status_code)
    assert time.monotonic() - started < PARSE_SECONDS, name
    runs = ParseRun.objects.exclude(pk__in=before).select_related("attachment")
    if response.status_code == 200:  # refused by the form: nothing stored, nothing queued
        assert not runs.exists()
        assert "field-errors" in response.content.decode()
        return
    assert len(runs) == 1
    for run in runs:
        assert run.status in (ParseRun.Status.DONE, ParseRun.Status.FAILED), run.status
        assert run.finished_at is not None
        if run.status == ParseRun.Status.FAILED:
            assert run.message.strip()
        assert run.attachment.size == len(data)
        with run.attachment.file.open("rb") as handle:
            assert handle.read() == data  # kept byte for byte, whatever it is
    listing = client.get(reverse("reports:attachment_list", kwargs={"pk": report.pk}))
    assert listing.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in HOSTILE_NAMES if n not in SLOW])
def test_hostile_uploads_through_the_view_end_done_or_failed(
    clerk_client, report, django_capture_on_commit_callbacks, name
):
    post_and_check(clerk_client, report, name, hostile(name), django_capture_on_commit_callbacks)


@pytest.mark.django_db
@fuzz.fuzz_settings(share=0.25)
@given(file=fuzz.report_files())
def test_mutated_uploads_through_the_view_never_answer_500(
    clerk_client, report, django_capture_on_commit_callbacks, file
):
    name, data = file
    if name in SLOW:
        return
    post_and_check(clerk_client, report, name, data, django_capture_on_commit_callbacks)
