"""The organ names a publication keeps: ``organ_name`` (the public list's order) and the names
at the head of its search text, set at publication and followed when an organ is renamed."""

from __future__ import annotations

from organs.models import Organ
from public.models import Publication


def search_text(organ, prose) -> str:
    """What the public search reads: the organ's names and the prose of ``prose`` (a report
    or a publication: both have overview, problems and other_matters)."""
    return "\n".join(
        t for t in (organ.name, organ.short_name, prose.overview, prose.problems,
                    prose.other_matters) if t
    )  # fmt: skip


def publication_organ_names_refresh(*, organ_ids) -> int:
    """Publications of these organs take the organs' present names: the kept organ name
    (the list's order) and the search text. Returns how many rows changed."""
    organs = Organ.objects.only("name", "short_name").in_bulk(list(organ_ids))
    publications = Publication.objects.filter(organ_id__in=list(organs)).only(
        "organ_id", "organ_name", "search_text", "overview", "problems", "other_matters"
    )
    changed = []
    for publication in publications.iterator(chunk_size=1000):
        organ = organs[publication.organ_id]
        text = search_text(organ, publication)
        if (publication.organ_name, publication.search_text) != (organ.name, text):
            publication.organ_name, publication.search_text = organ.name, text
            changed.append(publication)
    Publication.objects.bulk_update(changed, ["organ_name", "search_text"], batch_size=500)
    return len(changed)
