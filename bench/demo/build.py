"""A year of real use, built from the sample corpus through the real pipeline.

Every report year before the latest is published (on the date its sample prints, early in
the following year). The latest year is caught mid-season: some published, some submitted
and waiting, one approved, some returned with comments, a draft past its deadline, organs
that have not started, and one report that copies another organ's prose (a 雷同 pair). One
earlier report was published with a slip and later corrected, with its public note.
"""

from __future__ import annotations

import copy
import itertools
from datetime import date, timedelta

from bench import corpus
from bench.demo import pipeline
from bench.demo.accounts import CORPUS_SEED, DEPARTMENT_SLUG, TOWN_SLUG
from filing.models import AnnualReport
from filing.workflow import Status
from organs.models import Organ
from public.models import Publication
from review import services as review_services

# Renderings the demo uploads, in turn: the forms clerks really upload, cheap to render.
RENDERINGS = (
    ("text", "markdown"),
    ("docx", "official"),
    ("html", "page"),
    ("text", "tabbed"),
    ("text", "markdown-paged"),
)

# The latest year, organ by organ (slugs of corpus.region(CORPUS_SEED)); the rest publish.
RETURNED = {
    TOWN_SLUG: "表三“本年新收政府信息公开申请数量”与第一部分文字不一致，请核对后重新提交。",
    "rsj": "第五部分“存在的主要问题及改进情况”过于简略，请补充具体改进措施。",
}
SUBMITTED = ("mzj", "sthjj", "qinghe")
APPROVED = ("gaj",)
DRAFT = ("xixing",)  # started, never submitted: late once the deadline passed
MISSING = ("nyncj", "cgj")  # not started at all
COPIED = ("nanxin", "bailin")  # nanxin's latest report copies bailin's prose (雷同)
# An earlier report published with a slip in 表三 and corrected later.
CORRECTED = (2023, DEPARTMENT_SLUG)


def plan() -> tuple[list[tuple[corpus.Sample, str]], int]:
    """(sample, target status) for every report the demo holds, and the latest year."""
    samples = corpus.samples(CORPUS_SEED)
    latest = max(s.year for s in samples)
    by_key = {s.key: s for s in samples}
    out = []
    for sample in samples:
        slug = sample.organ.slug
        if sample.year < latest:
            out.append((sample, Status.PUBLISHED))
        elif slug in MISSING:
            continue
        elif slug == COPIED[0]:
            out.append((_copy_of(sample, by_key[f"{latest}-{COPIED[1]}"]), Status.SUBMITTED))
        else:
            out.append((sample, _latest_target(slug)))
    # Sources first, so the copy is compared with what it copied.
    out.sort(key=lambda pair: (pair[0].year, pair[0].organ.slug == COPIED[0]))
    return out, latest


def _latest_target(slug: str) -> str:
    if slug in RETURNED:
        return Status.RETURNED
    if slug in SUBMITTED:
        return Status.SUBMITTED
    if slug in APPROVED:
        return Status.APPROVED
    if slug in DRAFT:
        return Status.DRAFT
    return Status.PUBLISHED


def _copy_of(sample: corpus.Sample, source: corpus.Sample) -> corpus.Sample:
    """The sample with the source organ's prose, only the organ's name changed."""
    copied = copy.deepcopy(sample)
    a, b = source.organ.name, sample.organ.name
    copied.prose = {k: v.replace(a, b) for k, v in source.prose.items()}
    copied.key = f"{sample.key}-copied"
    return copied


def _slip(sample: corpus.Sample) -> corpus.Sample:
    """The sample as first published: ten applications by 自然人 too many in 表三 一."""
    slipped = copy.deepcopy(sample)
    slipped.figures["section3"]["一"][0] += 10
    slipped.key = f"{sample.key}-slip"
    return slipped


def _render(sample: corpus.Sample, index: int) -> tuple[bytes, str]:
    form, layout = RENDERINGS[index % len(RENDERINGS)]
    data = corpus.render(sample, form, layout)
    return data, corpus.filename(sample, form, layout)


def build(progress) -> dict:
    """Upload every planned report not in the database yet, then take each to its status."""
    planned, latest = plan()
    organs = {o.slug: o for o in Organ.objects.all()}
    existing = set(AnnualReport.objects.values_list("organ__slug", "year"))
    todo = [(s, t) for s, t in planned if (s.organ.slug, s.year) not in existing]
    corrected_key = f"{CORRECTED[0]}-{CORRECTED[1]}"
    runs = []
    for i, (sample, _) in enumerate(progress(todo, "上传")):
        first = _slip(sample) if sample.key == corrected_key else sample
        data, name = _render(first, i)
        runs.append(pipeline.upload(organ=organs[sample.organ.slug], data=data, name=name))
    runs = pipeline.parse_all(runs)
    counter = itertools.count()
    for (sample, target), run in progress(list(zip(todo, runs, strict=True)), "审核发布"):
        report = pipeline.apply(run=run, organ=organs[sample.organ.slug], year=sample.year)
        published_on = date.fromisoformat(sample.published)
        if target == Status.RETURNED:
            report = pipeline.submit(report)
            review_services.comment_add(
                report=report, author=pipeline.user("supervisor"), body="请同时核对表二数据。"
            )
            pipeline.send_back(report, RETURNED[sample.organ.slug])
        else:
            pipeline.take_to(report, target, published_on)
        next(counter)
    _correct(organs[CORRECTED[1]], corrected_key)
    return {"latest": latest, "added": next(counter)}


def _correct(organ: Organ, key: str) -> None:
    """Reopen the slipped report, upload the right file, and publish it with a note."""
    report = AnnualReport.objects.filter(organ=organ, year=CORRECTED[0]).first()
    if report is None or Publication.objects.filter(report=report, number__gt=1).exists():
        return
    sample = next(s for s in corpus.samples(CORPUS_SEED) if s.key == key)
    first = report.current_publication.published_on
    report = pipeline.reopen(report, "表三第一行自然人申请数多计 10 件，需更正。")
    data, name = _render(sample, 0)
    [run] = pipeline.parse_all([pipeline.upload(organ=organ, data=data, name=name)])
    report = pipeline.apply(run=run, organ=organ, year=report.year)
    pipeline.submit(report)
    pipeline.approve(report)
    count = sample.figures["section3"]["一"][0]
    note = f"更正表三“本年新收政府信息公开申请数量”自然人一栏：原误为 {count + 10}，应为 {count}。"
    pipeline.publish(report, first + timedelta(days=41), note=note)
