"""One entry point for every rendering: ``render(sample, form, layout)``."""

from __future__ import annotations

from bench.corpus import render_docx, render_html, render_pdf, render_text
from bench.corpus.model import Sample

_FORMS = {
    "text": (render_text.LAYOUTS, render_text.render_text),
    "html": (render_html.LAYOUTS, render_html.render_html),
    "docx": (render_docx.LAYOUTS, render_docx.render_docx),
    "pdf": (render_pdf.LAYOUTS, render_pdf.render_pdf),
}
RENDERINGS: tuple[tuple[str, str], ...] = tuple(
    (form, layout) for form, (layouts, _) in _FORMS.items() for layout in layouts
)
EXTENSIONS = {"text": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}


def render(sample: Sample, form: str, layout: str) -> bytes:
    """The sample as a file of that form in that layout; PDF raises SofficeMissing without LO."""
    if (form, layout) not in RENDERINGS:
        raise ValueError(f"unknown rendering {form}/{layout}; expected one of {RENDERINGS}")
    return _FORMS[form][1](sample, layout)


def filename(sample: Sample, form: str, layout: str) -> str:
    return f"{sample.key}-{layout}.{EXTENSIONS[form]}"
