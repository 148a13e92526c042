"""manage.py ingest: a folder or zip of past reports stored, parsed and applied, run eagerly."""

import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from data import ingest
from data.management.commands.ingest import ProgressBar
from filing.models import AnnualReport, Attachment, AuditEvent, ParseRun
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report
from tests.support.render import (
    TOWN_2020,
    TOWN_2022,
    TOWN_2023,
    corpus_bytes,
    corpus_expected,
    corpus_sample,
    corpus_text,
    text_to_docx,
)

pytestmark = pytest.mark.django_db
# Five corpus reports of five organs: both editions, three years, one breaking 表三's balance.
NESTED = "2021-jinsha"  # the one a level down
FAULTY = "2021-ximei"
REPORTS = {"000": TOWN_2023, "001": TOWN_2020, "002": TOWN_2022, "003": NESTED, "004": FAULTY}
SEEDS = tuple(REPORTS)
_FILES = Path(tempfile.mkdtemp(prefix="ingest-corpus-"))


def seed_path(name: str) -> Path:
    """Report ``name`` of REPORTS as a text file, the way a past year's export sits on disk."""
    path = _FILES / f"{name}-{REPORTS[name]}.txt"
    if not path.exists():
        path.write_bytes(corpus_bytes(REPORTS[name]))
    return path


def organ_name(name: str) -> str:
    return corpus_sample(REPORTS[name]).organ.name


@pytest.fixture
def seed_folder(tmp_path):
    """The five reports in a folder of their own, one of them a level down."""
    folder = tmp_path / "reports"
    (folder / "2021").mkdir(parents=True)
    for seed in SEEDS:
        path = seed_path(seed)
        target = folder / "2021" if seed == "003" else folder
        shutil.copy(path, target / path.name)
    return folder


def run_ingest(path, *args) -> dict:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", str(path), "--json", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue())


def assert_five_seed_reports(summary: dict) -> None:
    assert (summary["read"], summary["stored"], summary["parsed"]) == (5, 5, 5)
    assert summary["failed"] == [] and summary["reports_created"] == 5
    assert AnnualReport.objects.count() == 5 and Attachment.objects.count() == 5
    years = dict(AnnualReport.objects.values_list("organ__name", "year"))
    editions = dict(AnnualReport.objects.values_list("organ__name", "edition"))
    for name, key in REPORTS.items():
        truth = corpus_expected(key)
        assert (years[organ_name(name)], editions[organ_name(name)]) == (
            truth["year"],
            truth["edition"],
        )
    assert {editions[organ_name("001")], editions[organ_name("000")]} == {"2019", "2021"}
    faulty = next(r for r in summary["reports"] if r["organ"] == organ_name("004"))
    assert faulty["errors"] > 0 and "s3_balance" in faulty["error_codes"]
    assert all(a.report_id for a in Attachment.objects.all())
    nested = AnnualReport.objects.get(organ__name=organ_name("003"))
    assert nested.figures.filter(value__isnull=False).exists() and nested.overview


def test_a_folder_of_the_five_seeds_becomes_five_draft_reports(seed_folder):
    summary = run_ingest(seed_folder)
    assert_five_seed_reports(summary)
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_a_zip_of_the_seeds_is_read_in_memory_and_never_extracted_by_member_name(tmp_path):
    archive = tmp_path / "upload" / "reports.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for seed in SEEDS[:4]:
            zf.write(seed_path(seed), f"年报/{seed_path(seed).name}")
        # A hostile member name: stored under a safe name, nothing written beside the zip.
        zf.writestr("../../escaped_004.txt", seed_path("004").read_bytes())
        zf.writestr("expected/notes.json", b"{}")
        zf.writestr("__MACOSX/._000.txt", b"\x00\x05junk")
    summary = run_ingest(archive)
    assert_five_seed_reports(summary)
    assert summary["skipped"] == ["expected/notes.json", "__MACOSX/._000.txt"]
    assert not list(tmp_path.rglob("escaped_004.txt"))
    assert Attachment.objects.filter(original_name="escaped_004.txt").exists()


def test_ingesting_twice_stores_nothing_new_and_reuses_the_parse_runs(seed_folder):
    run_ingest(seed_folder)
    runs = ParseRun.objects.count()
    second = run_ingest(seed_folder)
    assert (second["stored"], second["duplicates"], second["parsed"]) == (0, 5, 5)
    assert (second["reports_created"], second["reports_updated"]) == (0, 0)
    assert second["reports_unchanged"] == 5
    assert Attachment.objects.count() == 5 and AnnualReport.objects.count() == 5
    assert ParseRun.objects.count() == runs
    assert AuditEvent.objects.filter(action="report.apply_parsed").count() == 5


def test_the_same_file_twice_in_one_folder_is_stored_once(seed_folder):
    shutil.copy(seed_path("000"), seed_folder / "2021" / "copy.txt")
    summary = run_ingest(seed_folder)
    assert (summary["read"], summary["stored"], summary["duplicates"]) == (6, 5, 1)
    assert Attachment.objects.count() == 5 and summary["failed"] == []


def test_corrupt_files_are_reported_with_their_reasons_and_the_others_go_in(seed_folder):
    (seed_folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    (seed_folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (seed_folder / "notes.md").write_text("# 会议纪要\n\n今天天气很好。\n", encoding="utf-8")
    summary = run_ingest(seed_folder)
    failed = {f["file"]: f["reason"] for f in summary["failed"]}
    assert set(failed) == {"broken.docx", "old.doc", "notes.md"}
    assert "另存为" in failed["old.doc"] and all(failed.values())
    assert summary["reports_created"] == 5 and summary["parsed"] == 6  # notes.md reads, no organ
    out = io.StringIO()
    call_command("ingest", str(seed_folder), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "失败：broken.docx：" in out.getvalue()


def test_organ_and_year_options_override_what_the_file_says(town):
    summary = run_ingest(seed_path("001"), "--organ", "zimao", "--year", "2019")
    report = AnnualReport.objects.get()
    assert (report.organ, report.year, report.edition) == (town, 2019, "2019")
    assert summary["reports"][0]["slug"] == "zimao"
    assert Organ.objects.count() == 2  # the fixture's city and town; nothing added


def test_new_organs_go_under_the_parent_option(city):
    run_ingest(seed_path("002"), "--parent", "jinjiang")
    organ = AnnualReport.objects.get().organ
    assert organ.parent == city and organ.name == organ_name("002")


def test_a_published_report_is_left_alone_and_the_summary_says_so(town):
    published = make_report(town, year=corpus_expected(TOWN_2023)["year"], status=Status.PUBLISHED)
    version = published.version
    out = io.StringIO()
    call_command(
        "ingest", str(seed_path("000")), "--organ", "zimao", "--no-progress",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    published.refresh_from_db()
    assert published.version == version and not published.figures.exists()
    assert "报告不可修改（已发布），已跳过" in out.getvalue()


def test_a_zip_member_larger_than_the_upload_limit_is_refused_unread(tmp_path, settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 64 * 1024
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"0" * (10 * 1024 * 1024))
        zf.write(seed_path("000"), "000.txt")
    summary = run_ingest(archive)
    assert [f["file"] for f in summary["failed"]] == ["big.txt"]
    assert "文件过大" in summary["failed"][0]["reason"]
    assert summary["stored"] == 1


def test_a_zip_expanding_past_the_total_limit_is_a_usage_error(tmp_path, settings):
    settings.PORTAL_INGEST_MAX_TOTAL_BYTES = 1024 * 1024
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", b"0" * (2 * 1024 * 1024))
    with pytest.raises(CommandError, match="体积过大"):
        run_ingest(archive)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/folder"], "找不到"),
        (["{seeds}", "--organ", "nowhere"], "--organ"),
        (["{seeds}", "--parent", "nowhere"], "--parent"),
        (["{seeds}", "--year", "30"], "--year"),
    ],
)
def test_usage_errors_exit_non_zero_before_anything_is_stored(args, message):
    args = [a.replace("{seeds}", str(seed_path("000"))) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("ingest", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Attachment.objects.exists()


def test_progress_is_silent_off_a_tty_and_with_no_progress(seed_folder):
    err = io.StringIO()
    call_command("ingest", str(seed_folder), stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
    quiet = io.StringIO()
    call_command("ingest", str(seed_folder), "--no-progress", stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_tty_each_phase_gets_a_bar_that_reaches_its_total():
    stream = Terminal()
    bar = ProgressBar(stream)
    bar("store", 0, 2)
    bar("store", 2, 2)
    bar("parse", 1, 4)
    bar("parse", 4, 4)
    bar.close()
    text = stream.getvalue()
    assert "\r" in text
    assert "保存文件" in text and "2/2" in text
    assert "识别表格" in text and "0/4" in text and "4/4" in text
    assert text.index("2/2") < text.index("识别表格")


def test_on_a_tty_no_progress_writes_nothing():
    stream = Terminal()
    bar = ProgressBar(stream, enabled=False)
    bar("store", 1, 2)
    bar.close()
    assert stream.getvalue() == ""


def test_a_docx_among_text_files_goes_through_the_same_path(tmp_path):
    (tmp_path / "安海.docx").write_bytes(text_to_docx(corpus_text(NESTED)))
    summary = ingest.ingest_path(tmp_path).as_dict()
    assert summary["parsed"] == 1 and summary["reports_created"] == 1
    assert Attachment.objects.get().content_type == "docx"
