"""HTML fragments the public pages repeat many times, built in Python in one pass.

A report page has three official tables of about 300 cells; a list page has 50 rows of
eight cells. Rendered through template includes, one include a cell or a row, they cost
most of a page's server time (a report page spent 30 of its 40 ms in the grid includes at
20,000 reports). The markup is the templates' own, escaped the same way; labels go through
gettext as the templates' {% translate %} did, with the same msgids.
"""

from __future__ import annotations

import functools
import html

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from core import layout

# A stand-in slug and year: the reversed URL is split around them once per process, so a
# row's links are two string joins instead of two URL reversals.
_SLUG, _YEAR = "slug-placeholder-0", 987654321


def escape(value) -> str:
    """Django's escape without its lazy-string wrapper (called ~700 times a page)."""
    return html.escape(str(value))


def _spans(colspan: int, rowspan: int = 1) -> str:
    out = f' colspan="{colspan}"' if colspan > 1 else ""
    return out + (f' rowspan="{rowspan}"' if rowspan > 1 else "")


_GRID_END = "</tbody>\n</table>\n</div>\n\n  </section>\n  "


@functools.lru_cache(maxsize=64)
def _grid_skeleton(edition: str, table: str, title: str, language: str | None):
    """One official table's section of the report page (its heading, its scrolling frame,
    the table) as markup around its value cells: (static chunks, cell keys),
    len(chunks) == len(keys) + 1. Labels are translated into ``language`` (the cache key;
    gettext reads the active language), ``title`` is the section's heading in it."""
    grid = next(g for g in layout.report_grids(edition) if g.table == table)
    name, title = escape(table), escape(title)
    chunks, keys = [], []
    current = [
        f'\n  <section aria-labelledby="title-{name}">\n    <h2 id="title-{name}">{title}</h2>\n'
        f'    <div class="grid-scroll" role="region" aria-labelledby="title-{name}" tabindex="0">\n'
        f'<table class="report-grid public-grid grid-{name}" data-grid="{name}">\n'
        f'  <caption class="visually-hidden">{title}</caption>\n  '
    ]
    for part in ("head", "body") if grid.head else ("body",):
        current.append("<thead>\n  " if part == "head" else "\n  <tbody>\n  ")
        for row in getattr(grid, part):
            current.append("<tr>")
            for item in row:
                if item.is_head:
                    spans = _spans(item.colspan, item.rowspan)
                    if item.text:
                        current.append(
                            f'<th scope="{escape(item.scope)}"{spans}>{escape(gettext(item.text))}</th>'
                        )
                    else:
                        current.append(f'<td class="corner"{spans}></td>')
                else:
                    role = f" cell-{escape(item.role)}" if item.role else ""
                    current.append(
                        f'<td class="num{role}"{_spans(item.colspan)} data-cell="{escape(item.table)}|'
                        f'{escape(item.row)}|{escape(item.column)}">'
                    )
                    chunks.append("".join(current))
                    keys.append(item.key)
                    current = ["</td>"]
            current.append("</tr>\n")
        current.append("</thead>" if part == "head" else _GRID_END)
    chunks.append("".join(current))
    return tuple(chunks), tuple(keys)


def grid_html(edition: str, table: str, title: str, values: dict, number) -> SafeString:
    """The section of an official table on the report page, filled with a publication's
    values: its heading, its scrolling frame (a region named by the heading) and the table.

    The markup around the values is built once per edition, table and language; a page
    only joins it with its ~300 escaped values. ``number`` prints a value (a blank cell as "").
    """
    chunks, keys = _grid_skeleton(edition, table, title, get_language())
    out = [chunks[0]]
    for key, chunk in zip(keys, chunks[1:], strict=True):
        value = values.get(key)
        # Most cells are whole numbers: printed as themselves, digits need no escaping.
        out.append(str(value) if type(value) is int else escape(number(value)))
        out.append(chunk)
    return mark_safe("".join(out))  # noqa: S308 - labels and values are escaped


class _Links:
    """Report and organ page URLs by string join, from one reversal each per language."""

    def __init__(self):
        report = reverse("reports:report_detail", kwargs={"slug": _SLUG, "year": _YEAR})
        organ = reverse("reports:organ_detail", kwargs={"slug": _SLUG})
        self.report_head, rest = report.split(_SLUG, 1)
        self.report_mid, self.report_tail = rest.split(str(_YEAR), 1)
        self.organ_head, self.organ_tail = organ.split(_SLUG, 1)

    def report(self, slug: str, year: int) -> str:
        return f"{self.report_head}{slug}{self.report_mid}{year}{self.report_tail}"

    def organ(self, slug: str) -> str:
        return f"{self.organ_head}{slug}{self.organ_tail}"


def _links() -> _Links:
    # Per script prefix: it starts every URL and may differ between requests.
    return _links_under(get_script_prefix())


@functools.lru_cache(maxsize=8)
def _links_under(script_prefix: str) -> _Links:
    return _Links()


def _figure(value) -> str:
    if value is None:
        return "—"
    return str(value) if type(value) is int else escape(value)  # digits need no escaping


class _Badges:
    """badges_html for a page's rows: its labels translated once (the active language)."""

    def __init__(self):
        self.ok = f'<span class="badge badge-ok">{escape(gettext("校验通过"))}</span>'
        self.corrected = f' <span class="badge badge-correction">{escape(gettext("已更正"))}</span>'
        self.errors: dict[int, str] = {}

    def html(self, p) -> str:
        out = self.ok if p.error_count == 0 else self.errors.get(p.error_count)
        if out is None:
            label = ngettext("%(n)s 项错误", "%(n)s 项错误", p.error_count) % {"n": p.error_count}
            out = self.errors[p.error_count] = (
                f'<span class="badge badge-error">{escape(label)}</span>'
            )
        return out + self.corrected if p.number > 1 else out


def badges_html(p) -> SafeString:
    """The check badges of a publication ``p``: passed or its error count, corrected."""
    if p.error_count == 0:
        out = f'<span class="badge badge-ok">{escape(gettext("校验通过"))}</span>'
    else:
        label = ngettext("%(n)s 项错误", "%(n)s 项错误", p.error_count) % {"n": p.error_count}
        out = f'<span class="badge badge-error">{escape(label)}</span>'
    if p.number > 1:
        out += f' <span class="badge badge-correction">{escape(gettext("已更正"))}</span>'
    return mark_safe(out)  # noqa: S308 - every value above is escaped


def key_figure_cells(p, badges: _Badges | None = None) -> str:
    """The key-figure cells of one publication's row (heads: _key_figure_heads.html);
    ``badges``: a page's labels, shared by its rows."""
    return (
        f"<td>{p.published_on.isoformat()}</td><td>{_figure(p.received)}</td>"
        f"<td>{_figure(p.granted_full)}</td><td>{_figure(p.review_total)}</td>"
        f"<td>{_figure(p.litigation_total)}</td>"
        f"<td>{badges.html(p) if badges else badges_html(p)}</td>"
    )


def list_rows_html(publications) -> SafeString:
    """The rows of the public list: year, organ (with its page), key figures, badges.
    Each publication carries its organ's slug and name (``organ_slug``, ``organ_title``:
    public.views.pages.list_rows)."""
    links = _links()
    history = escape(gettext("历年"))
    badges = _Badges()
    out = []
    for p in publications:
        slug = p.organ_slug
        out.append(
            f'<tr><td>{p.year}</td><th scope="row"><a href="{escape(links.report(slug, p.year))}">'
            f'{escape(p.organ_title)}</a> <a class="organ-link" href="{escape(links.organ(slug))}">'
            f"{history}</a></th>{key_figure_cells(p, badges)}</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def organ_rows_html(organ, publications) -> SafeString:
    """The rows of an organ's page: each year's report with its key figures."""
    links = _links()
    label = gettext("%(year)s年度报告")
    badges = _Badges()
    out = []
    for p in publications:
        out.append(
            f'<tr>\n      <th scope="row"><a href="{escape(links.report(organ.slug, p.year))}">'
            f"{escape(label % {'year': p.year})}</a></th>\n"
            f"      {key_figure_cells(p, badges)}\n    </tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
