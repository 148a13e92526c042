"""A realistic region from the project's corpus, published through the real publish service."""

from __future__ import annotations

import copy

from bench.corpus import samples
from core import formats
from filing.workflow import Status
from organs.models import Organ
from tests.support.factories import make_report

KINDS = {"city": Organ.Kind.CITY, "town": Organ.Kind.TOWN, "street": Organ.Kind.STREET,
         "department": Organ.Kind.DEPARTMENT}  # fmt: skip
YEAR = 2024
# A department that files the 2019 tables in YEAR (its 2020 figures, the 2019 edition).
OLD_EDITION_SLUG = "gaj"
# A town whose YEAR report is still a draft: none of its figures may appear anywhere public.
DRAFT_SLUG = "qinghe"


def corpus_region(years=(YEAR - 1, YEAR), *, old_edition=True, draft=True) -> dict:
    """Organs of the corpus region and their published reports; returns slug -> Organ."""
    corpus = samples()
    organs: dict[str, Organ] = {}
    for sample in corpus:
        o = sample.organ
        if o.slug not in organs:
            organs[o.slug] = Organ.objects.create(
                name=o.name, slug=o.slug, kind=KINDS[o.kind],
                parent=organs.get(o.parent) if o.parent else None,
            )  # fmt: skip
    by_key = {(s.organ.slug, s.year): s for s in corpus}
    for (slug, year), sample in sorted(by_key.items()):
        if year not in years:
            continue
        figures, edition = copy.deepcopy(sample.figures), sample.edition
        if old_edition and slug == OLD_EDITION_SLUG and year == YEAR:
            figures, edition = copy.deepcopy(by_key[(slug, 2020)].figures), formats.EDITION_2019
        if draft and slug == DRAFT_SLUG and year == YEAR:
            figures[formats.SECTION3]["一"] = [987654] * 6 + [987654 * 6]
            make_report(organs[slug], year, Status.DRAFT, edition=edition, figures=figures)
            continue
        make_report(organs[slug], year, Status.PUBLISHED, edition=edition, figures=figures)
    return organs
