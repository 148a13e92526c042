"""Every printed label of the national format is marked for the translation catalogue."""

from core import formats, layout
from filing.forms.format_labels import FORMAT_LABELS


def test_every_label_and_caption_of_both_editions_is_listed():
    shown = {
        text
        for edition in formats.EDITIONS
        for grid in layout.report_grids(edition)
        for text in [grid.caption]
        + [item.text for row in grid.head + grid.body for item in row if item.is_head]
        if text
    }
    shown |= {formats.EDITION_DEFS[e].name for e in formats.EDITIONS}
    assert shown - set(FORMAT_LABELS) == set()


def test_every_label_a_check_names_a_cell_by_is_listed():
    """Check messages name 表四's groups and 三's group headings (core.checks.base)."""
    named = {g.label for g in formats.SECTION4_GROUPS} | {c.label for c in formats.SECTION4_COLUMNS}
    named |= {label for label, _pattern in formats.SECTION3_GROUPS.values()}
    named |= {c.label for c in formats.APPLICANT_COLUMNS}
    assert named - set(FORMAT_LABELS) == set()
