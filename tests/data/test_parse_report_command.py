"""manage.py parse_report: one JSON object a line per file, errors included, no database."""

import json
import os
import random
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.support.render import (
    FAULTY_2022,
    TOWN_2020,
    TOWN_2022,
    TOWN_2023,
    corpus_expected,
    corpus_path,
    corpus_sample,
)

KEYS = {
    "file",
    "organ",
    "year",
    "published",
    "edition",
    "section2",
    "section3",
    "section4",
    "prose_numbers",
    "findings",
    "warnings",
}
ROOT = Path(__file__).resolve().parents[2]
# Corpus reports as files in several forms; "004" breaks 表三's row totals.
FILES = {
    "000": (TOWN_2023, "text", "markdown"),
    "001": (TOWN_2020, "docx", "official"),
    "002": (TOWN_2022, "html", "page"),
    "003": ("2021-jinsha", "text", "tabbed"),
    "004": (FAULTY_2022, "text", "markdown"),
}


def seed_path(name: str) -> Path:
    return corpus_path(*FILES[name])


def organ(name: str) -> str:
    return corpus_sample(FILES[name][0]).organ.name


def run_json(*paths) -> list[dict]:
    out = StringIO()
    call_command("parse_report", *map(str, paths), "--json", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(paths)
    return [json.loads(line) for line in lines]


def test_each_file_prints_one_json_line_with_the_documented_keys():
    paths = [seed_path(s) for s in FILES]
    for name, path, payload in zip(FILES, paths, run_json(*paths), strict=True):
        truth = corpus_expected(FILES[name][0])
        assert KEYS <= set(payload) and "error" not in payload
        assert payload["file"] == str(path)
        assert (payload["organ"], payload["year"]) == (truth["organ"], truth["year"])
        assert payload["section3"] == truth["section3"]
        assert payload["section4"] == truth["section4"]


def test_a_faulty_reports_findings_name_the_broken_row_and_results_totals():
    (payload,) = run_json(seed_path("004"))
    codes = {finding["code"] for finding in payload["findings"]}
    assert {"s3_row_total", "s3_results_total"} <= codes
    assert all(f["message"] and f["severity"] for f in payload["findings"])


def test_a_missing_file_and_binary_junk_print_error_objects(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(random.Random(3).randbytes(4096))
    missing = tmp_path / "nope.docx"
    good, gone, bad = run_json(seed_path("000"), missing, junk)
    assert "error" not in good
    for payload in (gone, bad):
        assert KEYS <= set(payload)
        assert payload["error"] and payload["section3"] is None and payload["findings"] == []
    assert gone["file"] == str(missing) and "找不到" in gone["error"]
    assert bad["error_code"] == "unsupported_type"


def test_the_json_keeps_chinese_unescaped_and_the_summary_is_human(tmp_path):
    out = StringIO()
    call_command("parse_report", str(seed_path("004")), "--json", stdout=out)
    assert organ("004") in out.getvalue()
    out = StringIO()
    call_command("parse_report", str(seed_path("004")), str(tmp_path / "x.txt"), stdout=out)
    text = out.getvalue()
    year = corpus_expected(FILES["004"][0])["year"]
    assert f"{organ('004')} {year}年" in text and "s3_row_total" in text
    assert "失败" in text


def test_usage_error_without_files():
    with pytest.raises(CommandError):
        call_command("parse_report", "--json")


def test_the_command_needs_no_database():
    # No django_db mark here: pytest-django makes any query in this test an error.
    (payload,) = run_json(seed_path("002"))
    assert payload["year"] == corpus_expected(TOWN_2022)["year"]


def test_exit_status_is_zero_with_failed_files_and_non_zero_for_usage_errors(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    command = [sys.executable, "manage.py", "parse_report", "--json"]
    done = subprocess.run(
        [*command, str(tmp_path / "missing.pdf"), str(seed_path("000"))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    missing, seed = (json.loads(line) for line in done.stdout.splitlines())
    assert missing["error"] and seed["organ"] == organ("000")
    usage = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert usage.returncode != 0 and not usage.stdout


def test_an_unexpected_failure_on_one_file_does_not_stop_the_others(monkeypatch, tmp_path):
    from data.management.commands import parse_report

    real = parse_report.parse_bytes

    def explode_on_first(data, name):
        if name == "bad.txt":
            raise RuntimeError("boom")
        return real(data, name)

    monkeypatch.setattr(parse_report, "parse_bytes", explode_on_first)
    bad = tmp_path / "bad.txt"
    bad.write_text("x")
    out = StringIO()
    call_command("parse_report", str(bad), str(seed_path("004")), "--json", stdout=out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["error_code"] == "internal" and first["error"]
    assert second["organ"] == organ("004")
