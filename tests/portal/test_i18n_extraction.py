"""Every interface string in the code has an English translation.

The catalogue test (test_i18n_catalogue) checks the entries the .po holds; this one finds
the entries it should hold: Django's own makemessages runs over a copy of the running
apps' Python files and templates, and every Chinese msgid it extracts must read in English,
from our catalogue or an installed app's (import-export's, the admin's).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.portal.test_i18n_catalogue import parse_po

ROOT = Path(settings.BASE_DIR)
# The running portal: development tools (bench), tests and migrations carry no interface text.
SKIPPED_PARTS = {"tests", "bench", "migrations", ".venv", "node_modules", "locale", "docs"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# xgettext also extracts the literal of gettext(f"...") calls: these translate a string
# built at run time (the format's table captions, each in the catalogue by its full text).
RUN_TIME_TEMPLATES = {
    "{grid.numeral}、{grid.caption}",
    "{self.grid.numeral}、{self.grid.caption}",
}


def _source_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.suffix in {".py", ".html", ".txt"} and not parts & SKIPPED_PARTS:
            files.append(path)
    return files


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list:
    if not shutil.which("xgettext") or not shutil.which("msguniq"):
        pytest.skip("GNU gettext (xgettext, msguniq) is not installed: apt-get install gettext")
    work = tmp_path_factory.mktemp("makemessages")
    for path in _source_files():
        target = work / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (work / "locale").mkdir()
    # Without settings makemessages writes to ./locale and reads no project configuration.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    po = work / "locale" / "en" / "LC_MESSAGES" / "django.po"
    return [e for e in parse_po(po.read_text(encoding="utf-8")) if not e.is_header]


def _english(entry) -> str:
    with translation.override("en"):
        if entry.msgid_plural:
            return (
                translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
                if (entry.msgctxt)
                else translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            )
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)


def test_extraction_finds_the_interface_text(extracted):
    msgids = {e.msgid for e in extracted}
    assert len(extracted) > 500
    # From a Python module (an admin action) and from a template.
    assert {"审核通过所选报告", "审核结论"} <= msgids


# xgettext knows gettext, gettext_lazy, pgettext, ngettext … and ``_``; a string passed to
# any other name is invisible to it and would never be translated.
ALIAS = re.compile(
    r"import .*\b(gettext|gettext_lazy|pgettext|ngettext|gettext_noop)\w* as (?!_\b)\w+"
)


def test_translation_functions_keep_names_the_extractor_knows():
    aliased = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in _source_files()
        if path.suffix == ".py"
        for line in path.read_text(encoding="utf-8").splitlines()
        if ALIAS.search(line)
    ]
    assert aliased == []


def test_every_chinese_string_in_the_code_reads_in_english(extracted):
    missing = [
        f"{e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "")
        for e in extracted
        if CJK.search(e.msgid) and e.msgid not in RUN_TIME_TEMPLATES and CJK.search(_english(e))
    ]
    assert not missing, (
        "interface strings with no English: add them to locale/en/LC_MESSAGES/django.po and "
        "run compilemessages (see test_i18n_catalogue's docstring):\n" + "\n".join(missing)
    )
