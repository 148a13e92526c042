"""The project's own sample corpus (development only; no Django).

A fictional county-level city's disclosure reports, 2019 to the last complete year, drawn
deterministically from a seed, with a few deliberate faults, and rendered as the files
the portal receives (text, HTML, DOCX, PDF) in the layouts real files show.
"""

from bench.corpus.expected import expected_json
from bench.corpus.model import Organ, Sample
from bench.corpus.region import region
from bench.corpus.render import RENDERINGS, filename, render
from bench.corpus.render_pdf import SofficeMissing, soffice_path
from bench.corpus.samples import samples

__all__ = [
    "RENDERINGS",
    "Organ",
    "Sample",
    "SofficeMissing",
    "expected_json",
    "filename",
    "region",
    "render",
    "samples",
    "soffice_path",
]
