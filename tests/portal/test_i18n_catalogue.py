"""The English catalogue is complete, and the committed .mo is compiled from the committed .po.

After changing interface text: run makemessages (see the .po header), translate every new
entry, then ``python manage.py compilemessages -l en --ignore=.venv`` and commit both files.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

FOLDER = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO, MO = FOLDER / "django.po", FOLDER / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_PLACEHOLDER = re.compile(r"%\(\w+\)|\{\w*\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"django.po:{self.line}: {self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file: continued strings joined, plural forms by index.

    Obsolete entries (``#~``) and other comments are skipped.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        if entry is not None and entry.msgid is not None:
            entries.append(entry)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None, f"django.po:{number}: a string continues nothing"
            value = ast.literal_eval(line)
            keyword, index = target
            if keyword == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, keyword, getattr(entry, keyword) + value)
            continue
        match = _KEYWORD.match(line)
        assert match, f"django.po:{number}: cannot parse {raw!r}"
        keyword, index, literal = match.groups()
        value = ast.literal_eval(literal)
        if keyword == "msgstr":
            target = ("msgstr", int(index or 0))
            entry.msgstr[target[1]] = value
        else:
            if keyword == "msgid" and entry.msgid is not None:
                # A new entry without a blank line in between.
                finish()
                entry = Entry(line=number)
            target = (keyword, 0)
            setattr(entry, keyword, value)
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    text = PO.read_text(encoding="utf-8")
    parsed = parse_po(text)
    # Every live msgid line of the file became an entry (obsolete ones start with #~).
    assert len(parsed) == len(re.findall(r"^msgid ", text, re.M))
    return parsed


@pytest.fixture(scope="module")
def messages(entries) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def test_the_parser_joins_continued_strings_and_plural_forms():
    parsed = parse_po(
        "# comment\n"
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.html:1\n#, fuzzy, python-format\nmsgid ""\n"第一行\\n"\n"第二行 %(n)s"\n'
        'msgstr "line one\\nline two %(n)s"\n\n'
        'msgctxt "menu"\nmsgid "%(n)s 项"\nmsgid_plural "%(n)s 项"\n'
        'msgstr[0] "%(n)s item"\nmsgstr[1] ""\n"%(n)s items"\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n'
    )
    header, prose, plural = parsed
    assert header.is_header and "nplurals=2" in header.msgstr[0]
    assert prose.msgid == "第一行\n第二行 %(n)s" and prose.flags == {"fuzzy", "python-format"}
    assert plural.msgctxt == "menu" and plural.msgid_plural == "%(n)s 项"
    assert plural.msgstr == {0: "%(n)s item", 1: "%(n)s items"}


def test_every_entry_is_translated(messages):
    assert len(messages) > 400
    untranslated = [str(e) for e in messages if not e.msgstr or not all(e.msgstr.values())]
    assert untranslated == [], "untranslated entries in the English catalogue"


def test_no_entry_is_fuzzy(entries):
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    assert fuzzy == [], "check these translations and remove their fuzzy flag"


def test_plural_entries_have_both_english_forms(messages):
    incomplete = [
        str(e) for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0, 1}
    ]
    assert incomplete == []


def test_translations_keep_the_placeholders(messages):
    wrong = []
    for e in messages:
        source = set(_PLACEHOLDER.findall(e.msgid)) | set(
            _PLACEHOLDER.findall(e.msgid_plural or "")
        )
        for index, text in e.msgstr.items():
            found = set(_PLACEHOLDER.findall(text))
            # A translation may not invent a placeholder; only a singular form may drop one.
            keeps_all = e.msgid_plural is None or index > 0
            if not found <= source or (keeps_all and found != source):
                wrong.append(f"{e} msgstr[{index}]: {sorted(found)} vs {sorted(source)}")
    assert wrong == []


def test_newlines_at_the_ends_match_the_msgid(messages):
    def ends(text: str) -> tuple[bool, bool]:
        return text.startswith("\n"), text.endswith("\n")

    wrong = [str(e) for e in messages if any(ends(s) != ends(e.msgid) for s in e.msgstr.values())]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po(messages):
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            if e.msgctxt is None:
                got = {0: catalogue.gettext(e.msgid)}
            else:
                got = {0: catalogue.pgettext(e.msgctxt, e.msgid)}
        elif e.msgctxt is None:
            got = {i: catalogue.ngettext(e.msgid, e.msgid_plural, n) for i, n in ((0, 1), (1, 2))}
        else:
            got = {
                i: catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                for i, n in ((0, 1), (1, 2))
            }
        if got != e.msgstr:
            stale.append(str(e))
    assert stale == [], "the .mo is stale: python manage.py compilemessages -l en --ignore=.venv"
