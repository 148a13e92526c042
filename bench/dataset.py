"""A synthetic province of reports for benchmarks: organs × years, figures, prose, publications.

Figures are drawn organ by organ so that each year carries on from the last (上年结转,
现行有效件数, 项目数量), and a few reports get the errors real ones contain. Rows are
written in batches (PostgreSQL COPY for the millions of cells), never one service call per
report; published reports get the same Publication and PublishedFigure fields as
review.services.report_publish writes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core import formats
from core.checks import ERROR, check_report
from core.figureset import figures_to_dict
from filing.figures import figures_cells
from filing.models import AnnualReport, AuditEvent, Figure, Finding
from filing.services.reports import report_prose_numbers
from filing.workflow import Status
from organs.models import Membership, Organ
from public.models import Publication, PublishedFigure
from public.services import publication_build
from review.models import Deadline, ReviewComment

PREFIX = "gen-"  # slug and username prefix of everything generated (what --clear removes)
PASSWORD = "bench-password-2024"
S2, S3, S4 = formats.SECTION2, formats.SECTION3, formats.SECTION4
TOTAL = formats.TOTAL_COLUMN
PARTS = formats.APPLICANT_PARTS
# Applications per year, by kind of organ (the seeds' towns get a handful or none).
SCALE = {"other": 3000, "city": 500, "county": 80, "district": 90, "town": 4, "street": 8}
DEPT_SCALE = {"city": 250, "county": 40}
APPLICANT_WEIGHTS = (0.78, 0.12, 0.01, 0.02, 0.03, 0.04)
ERROR_KINDS = ("row_total", "balance", "carryover", "prose")
LATEST_MIX = (
    (Status.DRAFT, 0.25),
    (Status.SUBMITTED, 0.2),
    (Status.RETURNED, 0.1),
    (Status.APPROVED, 0.1),
    (Status.PUBLISHED, 0.35),
)
SYL = "安宁平江阳泉山河东西南北华兴德新长永清丰和福云海金石龙凤仁信康乐城林溪桥塘"
DEPARTMENTS = (
    "发展和改革局", "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
    "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "医疗保障局",
    "城市管理局",
)  # fmt: skip


@dataclass
class Stats:
    organs: int = 0
    reports: int = 0
    figures: int = 0
    publications: int = 0
    published_figures: int = 0
    findings: int = 0
    with_errors: int = 0
    seconds: float = 0.0
    by_status: dict = field(default_factory=dict)


# ---------------------------------------------------------------- organ tree


def _place(rng: random.Random, used: set, suffix: str) -> str:
    while True:
        name = rng.choice(SYL) + rng.choice(SYL) + suffix
        if name not in used:
            used.add(name)
            return name


def organ_tree(count: int, rng: random.Random) -> list[dict]:
    """Province → cities → counties/districts → towns, streets, departments; parents first."""
    cities = max(1, min(count - 1, count // 160))
    counties = max(0, min(count - 1 - cities, max(1, count // 20)))
    leaves = count - 1 - cities - counties
    used: set = set()
    tree = [{"i": 0, "name": "某某省人民政府", "short": "某某省", "kind": "other", "parent": None}]
    for _ in range(cities):
        tree.append({"name": _place(rng, used, "市"), "kind": "city", "parent": 0})
    city_rows = list(range(1, 1 + cities))
    for k in range(counties):
        kind = "county" if k % 3 else "district"
        tree.append({"name": _place(rng, used, "县" if kind == "county" else "区"),
                     "kind": kind, "parent": city_rows[k % cities]})  # fmt: skip
    county_rows = list(range(1 + cities, len(tree))) or city_rows
    for n in range(leaves):
        roll = rng.random()
        if roll < 0.2:
            parent = rng.choice(city_rows if rng.random() < 0.5 else county_rows)
            base = tree[parent]["name"]
            tree.append({"name": base + DEPARTMENTS[n % len(DEPARTMENTS)], "kind": "department",
                         "parent": parent, "scale": DEPT_SCALE.get(tree[parent]["kind"], 40)})  # fmt: skip
        else:
            kind = "town" if roll < 0.8 else "street"
            place = _place(rng, used, "镇" if kind == "town" else "街道")
            parent = county_rows[n % len(county_rows)]
            office = "人民政府" if kind == "town" else "办事处"
            tree.append({"name": tree[parent]["name"] + place + office, "short": place,
                         "kind": kind, "parent": parent})  # fmt: skip
    for i, row in enumerate(tree):
        row["i"] = i
        row["slug"] = f"{PREFIX}{row['kind'][:4]}-{i:05d}"
        row.setdefault("short", row["name"])
        row.setdefault("scale", SCALE.get(row["kind"], 40))
    return tree


# ---------------------------------------------------------------- figures


def split(total: int, weights, rng: random.Random) -> list[int]:
    """Share a count among weighted parts, a little noisily; the parts add up to total."""
    if total <= 0:
        return [0] * len(weights)
    if total < 40:
        out = [0] * len(weights)
        for i in rng.choices(range(len(weights)), weights, k=total):
            out[i] += 1
        return out
    out = [int(total * w * rng.uniform(0.7, 1.3)) for w in weights]
    while sum(out) > total:
        out[out.index(max(out))] -= sum(out) - total
        out = [max(0, v) for v in out]
    out[weights.index(max(weights))] += total - sum(out)
    return out


@dataclass
class OrganState:
    """What one year hands to the next for the same organ."""

    carried: list = field(default_factory=lambda: [0] * 6)
    stock: dict = field(default_factory=dict)  # 规章 / 规范性文件 in force
    projects: dict = field(default_factory=dict)  # 2019 edition 上一年项目数量 by row


def _result_weights(edition) -> list[float]:
    weights = []
    for row in edition.section3_rows[2:-2]:
        group = row.group or row.key
        base = {"三.一": 0.45, "三.二": 0.1, "三.三": 0.06 / 8, "三.四": 0.25 / 3,
                "三.五": 0.06 / 5, "三.六": 0.08}[group]  # fmt: skip
        weights.append(base / 3 if group == "三.六" and row.group else base)
    return weights


def figures_draw(organ: dict, year: int, edition_key: str, state: OrganState, rng) -> dict:
    """One year's figures in the dict shape, balanced; updates the organ's state."""
    edition = formats.get_edition(edition_key)
    scale = organ["scale"] * (1 + 0.06 * (year - 2015))
    total = int(scale * rng.lognormvariate(0, 0.7))
    if organ["kind"] in ("town", "street") and rng.random() < 0.35:
        total = 0
    new = split(total, APPLICANT_WEIGHTS, rng)
    carried_in = list(state.carried)
    rows = edition.section3_rows
    results = [[0] * 6 for _ in rows[2:-2]]
    weights = _result_weights(edition)
    carried_out = []
    for c in range(6):
        available = new[c] + carried_in[c]
        out = int(available * rng.uniform(0, 0.08))
        carried_out.append(out)
        for r, v in enumerate(split(available - out, weights, rng)):
            results[r][c] = v
    handled = [new[c] + carried_in[c] - carried_out[c] for c in range(6)]
    state.carried = carried_out
    s3 = {}
    for key, parts in zip(
        [r.key for r in rows], [new, carried_in, *results, handled, carried_out], strict=True
    ):
        s3[key] = [*parts, sum(parts)]
    s4 = []
    for rate in (0.03, 0.012, 0.006):
        cases = int(total * rate * rng.uniform(0.3, 1.7) + (rng.random() < 0.1))
        parts = split(cases, (0.6, 0.1, 0.15, 0.15), rng)
        s4 += [*parts, sum(parts)]
    return {S2: _section2(organ, edition, state, scale, rng), S3: s3, S4: s4}


def _section2(organ, edition, state: OrganState, scale: float, rng) -> dict:
    big = organ["kind"] in ("other", "city", "department")
    s2: dict = {}
    first = edition.section2[0]
    for row in first.rows:
        regs = row.key == "规章"
        if regs and organ["kind"] not in ("other", "city"):
            issued = 0
        else:
            issued = rng.randint(0, 12 if big else 3)
        stock = state.stock.get(regs, rng.randint(0, 30) if issued else 0)
        if edition.key == formats.EDITION_2021:
            repealed = rng.randint(0, min(stock, 3))
            now = stock + issued - repealed
            s2[row.key] = dict(
                zip([c.key for c in first.columns], (issued, repealed, now), strict=True)
            )
        else:
            published = rng.randint(0, issued)
            now = stock + published
            s2[row.key] = dict(
                zip([c.key for c in first.columns], (issued, published, now), strict=True)
            )
        state.stock[regs] = now
    decisions = {"行政许可": 30, "其他对外管理服务事项": 10, "行政处罚": 8, "行政强制": 1}
    for block in edition.section2[1:]:
        for row in block.rows:
            cols = [c.key for c in block.columns]
            if row.key == "政府集中采购":
                n = int(scale * rng.uniform(0, 0.2))
                s2[row.key] = {cols[0]: n, cols[1]: round(n * rng.uniform(5, 80), 2)}
            elif cols[0] == "上一年项目数量":
                count = state.projects.get(row.key, rng.randint(0, 20 if big else 5))
                delta = max(-count, rng.randint(-2, 3))
                state.projects[row.key] = count + delta
                values = [count, delta, int(scale * decisions.get(row.key, 0) * rng.random())]
                s2[row.key] = dict(zip(cols, values[: len(cols)], strict=True))
            elif row.key == "行政事业性收费":
                fee = round(scale * rng.uniform(0, 3), 2) if big or rng.random() < 0.3 else 0
                s2[row.key] = {cols[0]: fee}
            else:
                s2[row.key] = {cols[0]: int(scale * decisions.get(row.key, 1) * rng.random())}
    return s2


def error_inject(figures: dict, edition_key: str, kind: str, rng) -> None:
    """Make the kind of mistake real reports contain (prose errors are made in the prose)."""
    s3 = figures[S3]
    rows = formats.get_edition(edition_key).section3_row_keys()
    c = rng.randrange(6)
    if kind == "row_total":
        row = s3[rng.choice(rows)]
        row[-1] += rng.choice((-1, 1)) if row[-1] else 1
    elif kind == "balance":
        s3["一"][c] += 1
        s3["一"][-1] += 1
    elif kind == "carryover":
        # Self-consistent this year, but 二 no longer equals last year's 四.
        for key in ("二", "三.一", "三.七"):
            s3[key][c] += 1
            s3[key][-1] += 1


# ---------------------------------------------------------------- prose

_INTRO = (
    "{year}年，{name}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，",
    "{year}年，{name}认真落实上级关于政务公开工作的部署要求，围绕中心工作，",
    "{year}年度，{name}持续深化政务公开，健全工作机制，",
)
_ACTIVE = (
    "全年累计主动公开政府信息{n}条。",
    "通过门户网站等平台主动公开信息{n}条。",
    "全年在信息公开平台上主动公开各类信息{n}条。",
)
_RECEIVED = (
    "全年共收到政府信息公开申请{n}件，",
    "本年度共受理政府信息公开申请{n}件，",
    "全年收到政府信息公开申请{n}件，",
)
_NONE = ("全年未收到政府信息公开申请。", "本年度没有收到政府信息公开申请。")
_HANDLED = ("共处理政府信息公开申请{n}件。", "办结政府信息公开申请{n}件。")
_CASES = ("因政府信息公开被申请行政复议{r}件，被提起行政诉讼{l}件。",)
_NO_CASES = ("全年未发生因政府信息公开引起的行政复议、行政诉讼。",)
_PROBLEMS = (
    "一是公开内容的深度和广度仍需拓展；二是工作人员业务能力有待提高。{next}年将加强培训，规范公开流程。",
    "政策解读形式较为单一，公开及时性有待提升。下一步将完善信息发布审核机制，提高公开质量。",
    "部分科室对政务公开重视不够，栏目更新不及时。{next}年将建立定期检查通报制度。",
)
_OTHER = ("无其他需要报告的事项。", "本年度未收取信息处理费。", "{name}无其他需要报告的事项。")


def prose_draw(organ: dict, year: int, figures: dict, rng, wrong: bool = False) -> dict:
    """Overview, problems and other matters, stating the table's numbers (one off if wrong)."""
    received, handled = figures[S3]["一"][-1], figures[S3]["三.七"][-1]
    s4 = figures[S4]
    review, litigation = s4[4], s4[9] + s4[14]
    name = organ["short"]
    parts = [rng.choice(_INTRO).format(year=year, name=name),
             rng.choice(_ACTIVE).format(n=int(organ["scale"] * rng.uniform(5, 40)) + 3)]  # fmt: skip
    if wrong:
        received += 1
    if received or handled:
        parts.append(rng.choice(_RECEIVED).format(n=received))
        parts.append(rng.choice(_HANDLED).format(n=handled))
    else:
        parts.append(rng.choice(_NONE))
    if review or litigation:
        parts.append(rng.choice(_CASES).format(r=review, l=litigation))
    else:
        parts.append(rng.choice(_NO_CASES))
    return {
        "overview": "".join(parts),
        "problems": rng.choice(_PROBLEMS).format(next=year + 1),
        "other_matters": rng.choice(_OTHER).format(name=name),
    }


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class _Cell:
    """What figures_to_dict reads from a Figure, without building 4 million model objects."""

    table: str
    row: str
    column: str
    value: Decimal | None


def normalise(figures: dict, edition_key: str) -> tuple[dict, dict]:
    """The figures as the database stores and returns them, and their cells."""
    cells = figures_cells(figures, edition_key)
    rows = (_Cell(t, r, c, v) for (t, r, c), v in cells.items())
    return figures_to_dict(rows, edition_key), cells


def _status(year: int, last_year: int, rng) -> str:
    if year < last_year:
        roll = rng.random()
        return Status.PUBLISHED if roll < 0.96 else Status.APPROVED if roll < 0.98 else Status.DRAFT
    roll, acc = rng.random(), 0.0
    for status, share in LATEST_MIX:
        acc += share
        if roll < acc:
            return status
    return Status.PUBLISHED


def _published_on(year: int, rng) -> date:
    if rng.random() < 0.05:  # late
        return date(year + 1, 2, 1) + timedelta(days=rng.randint(0, 50))
    return date(year + 1, 1, rng.randint(5, 31))


EXPLANATION = "经核实，该处为填报时的笔误，已在报告正文中予以说明。"
RETURN_REASON = "表三数据与上一年度“结转下年度继续办理”不一致，请核实后重新提交。"


@dataclass
class _Item:
    report: AnnualReport
    figures: dict
    cells: dict
    findings: list
    published_on: date | None = None


def _draw_organ(row: dict, organ_id: int, seed: int, first: int, last: int, error_rate: float):
    """Every year of one organ, as unsaved reports with their figures and findings."""
    rng = random.Random(f"{seed}:{row['i']}")
    state, previous, items = OrganState(), None, []
    for year in range(first, last + 1):
        old = year < 2021 or rng.random() < 0.03
        edition = formats.EDITION_2019 if old else formats.EDITION_2021
        raw = figures_draw(row, year, edition, state, rng)
        kind = rng.choice(ERROR_KINDS) if rng.random() < error_rate else None
        if kind and kind != "prose":
            error_inject(raw, edition, kind, rng)
        status = _status(year, last, rng)
        report = AnnualReport(
            organ_id=organ_id, year=year, edition=edition, status=str(status),
            **prose_draw(row, year, raw, rng, wrong=kind == "prose"),
        )  # fmt: skip
        figures, cells = normalise(raw, edition)
        found = check_report(
            figures, edition, prose_numbers=report_prose_numbers(report), previous=previous
        )
        explained = status not in (Status.DRAFT, Status.RETURNED)
        findings = [
            Finding(
                code=f.code, severity=f.severity, message=f.message,
                cells=[list(c) for c in f.cells],
                explanation=EXPLANATION if explained and f.severity == ERROR else "",
            )
            for f in found
        ]  # fmt: skip
        item = _Item(report, figures, cells, findings)
        if status == Status.PUBLISHED:
            item.published_on = report.published_on = _published_on(year, rng)
        items.append(item)
        previous = {"edition": edition, "figures": figures}
    return items


def _draw_chunk(args) -> list[_Item]:
    """Process-pool entry: draw a run of organs (no database access here)."""
    rows, organ_ids, *rest = args
    return [i for row, pk in zip(rows, organ_ids, strict=True) for i in _draw_organ(row, pk, *rest)]


def _copy_or_bulk(model, columns: list[str], rows, objects: Callable) -> int:
    """COPY rows into the model's table on PostgreSQL; bulk_create elsewhere."""
    rows = list(rows)
    if connection.vendor != "postgresql":
        model.objects.bulk_create((objects(r) for r in rows), batch_size=1000)
        return len(rows)
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)


def _write(items: list[_Item], publisher, stats: Stats, last_year: int) -> None:
    """One batch: reports, cells, findings, publications and their cells, in one transaction."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A bulk load: a crash loses only the last batches, which --clear redoes anyway.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    AnnualReport.objects.bulk_create([i.report for i in items])
    cols = ["report", "table", "row", "column", "value", "source", "updated_at"]
    stats.figures += _copy_or_bulk(
        Figure, cols,
        ((i.report.pk, t, r, c, v, Figure.Source.MANUAL, now)
         for i in items for (t, r, c), v in i.cells.items()),
        lambda x: Figure(report_id=x[0], table=x[1], row=x[2], column=x[3], value=x[4],
                         source=x[5]),
    )  # fmt: skip
    findings = []
    for item in items:
        for f in item.findings:
            f.report = item.report
        findings += item.findings
        stats.with_errors += any(f.severity == ERROR for f in item.findings)
        status = str(item.report.status)
        stats.by_status[status] = stats.by_status.get(status, 0) + 1
    Finding.objects.bulk_create(findings, batch_size=1000)
    stats.findings += len(findings)
    published = [i for i in items if i.published_on]
    publications = Publication.objects.bulk_create([_publication(i, publisher) for i in published])
    cols = ["publication", "organ", "year", "edition", "table", "row", "column", "value",
            "is_current"]  # fmt: skip
    stats.published_figures += _copy_or_bulk(
        PublishedFigure, cols,
        ((p.pk, p.organ_id, p.year, p.edition, t, r, c, v, True)
         for p in publications for (t, r, c), v in figures_cells(p.figures, p.edition).items()),
        lambda x: PublishedFigure(publication_id=x[0], organ_id=x[1], year=x[2], edition=x[3],
                                  table=x[4], row=x[5], column=x[6], value=x[7], is_current=x[8]),
    )  # fmt: skip
    AnnualReport.objects.filter(pk__in=[i.report.pk for i in published]).update(
        current_publication=Subquery(
            Publication.objects.filter(report=OuterRef("pk"), is_current=True).values("pk")[:1]
        )
    )
    stats.publications += len(publications)
    stats.reports += len(items)
    _workflow_traces(items, publisher, last_year)


def _publication(item: _Item, publisher) -> Publication:
    """A first publication, built exactly as report_publish builds one."""
    return publication_build(
        report=item.report,
        figures=item.figures,
        findings=item.findings,
        published_on=item.published_on,
        published_by=publisher,
    )


def _workflow_traces(items: list[_Item], supervisor, last_year: int) -> None:
    """Audit events for this year's submissions and the reason of each return."""
    events, comments = [], []
    for item in items:
        report = item.report
        if report.status == Status.DRAFT or report.year < last_year:
            continue
        events.append(AuditEvent(report=report, action="report.submitted",
                                 from_status=Status.DRAFT, to_status=Status.SUBMITTED))  # fmt: skip
        if report.status == Status.RETURNED:
            comments.append(ReviewComment(report=report, author=supervisor, body=RETURN_REASON,
                                          status=Status.RETURNED))  # fmt: skip
    AuditEvent.objects.bulk_create(events)
    ReviewComment.objects.bulk_create(comments)


# ---------------------------------------------------------------- organs, users, clear


def _organs_create(tree: list[dict]) -> list[Organ]:
    organs: list[Organ] = []
    for row in tree:  # parents come first, so one bulk insert per level would also do
        parent = organs[row["parent"]] if row["parent"] is not None else None
        organs.append(Organ(name=row["name"], short_name=row["short"], slug=row["slug"],
                            kind=row["kind"], parent=parent))  # fmt: skip
    for level in range(4):
        batch = [o for o, r in zip(organs, tree, strict=True) if _depth(tree, r) == level]
        for organ in batch:
            organ.parent_id = organ.parent.pk if organ.parent else None
        Organ.objects.bulk_create(batch)
    return organs


def _depth(tree: list[dict], row: dict) -> int:
    depth = 0
    while row["parent"] is not None:
        row, depth = tree[row["parent"]], depth + 1
    return depth


def _users_create(tree: list[dict], organs: list[Organ]):
    """Supervisors of the province and two cities, clerks of ten towns; one shared password."""
    User = get_user_model()
    password = make_password(PASSWORD)
    roles = [("gen-supervisor", Membership.Role.SUPERVISOR, organs[0])]
    cities = [o for o in organs if o.kind == "city"][:2]
    roles += [(f"gen-supervisor-{o.slug}", Membership.Role.SUPERVISOR, o) for o in cities]
    towns = [o for o in organs if o.kind in ("town", "street")][:10]
    roles += [(f"gen-clerk-{o.slug}", Membership.Role.CLERK, o) for o in towns]
    users = User.objects.bulk_create(
        [User(username=name, password=password, is_active=True) for name, _, _ in roles]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, role=role, organ=o)
            for u, (_, role, o) in zip(users, roles, strict=True)
        ]
    )
    return users[0]


def dataset_clear() -> None:
    """Remove everything generated (organs and users whose slug/name starts with gen-)."""
    organs = Organ.objects.filter(slug__startswith=PREFIX)
    reports = AnnualReport.objects.filter(organ__in=organs)
    with transaction.atomic():
        PublishedFigure.objects.filter(organ__in=organs).delete()
        Figure.objects.filter(report__in=reports).delete()
        Finding.objects.filter(report__in=reports).delete()
        ReviewComment.objects.filter(report__in=reports).delete()
        AuditEvent.objects.filter(report__in=reports).delete()
        reports.update(current_publication=None)
        Publication.objects.filter(organ__in=organs)._raw_delete(connection.alias)
        reports._raw_delete(connection.alias)
        Deadline.objects.filter(organ__in=organs).delete()
        Membership.objects.filter(organ__in=organs).delete()
        get_user_model().objects.filter(username__startswith=PREFIX).delete()
        organs.update(parent=None)
        organs._raw_delete(connection.alias)


@contextlib.contextmanager
def _drawn(chunks: list, workers: int) -> Iterator[Iterator[list[_Item]]]:
    """Drawn batches in order, from a pool of forked processes when workers > 1."""
    if workers <= 1 or len(chunks) < 2:
        yield (_draw_chunk(c) for c in chunks)
        return
    # Forked children must not share this process's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield pool.imap(_draw_chunk, chunks)


def dataset_generate(
    *,
    organs: int,
    years: int,
    seed: int = 0,
    last_year: int | None = None,
    clear: bool = False,
    batch_organs: int = 50,
    error_rate: float = 0.07,
    workers: int = 1,
    log: Callable[[str], None] | None = None,
) -> Stats:
    """Fill the database with organs × years reports; return what was written and how long.

    With workers > 1 the figures, prose and checks are drawn in that many processes while
    this one writes; the result is the same for the same seed.
    """
    started = time.perf_counter()
    if clear:
        dataset_clear()
    elif Organ.objects.filter(slug__startswith=PREFIX).exists():
        raise ValueError("generated data already present: pass clear=True (--clear)")
    last = last_year or timezone.localdate().year - 1
    first = last - years + 1
    tree = organ_tree(organs, random.Random(seed))
    stats = Stats(organs=len(tree))
    with transaction.atomic():
        organ_rows = _organs_create(tree)
        publisher = _users_create(tree, organ_rows)
        Deadline.objects.bulk_create(
            [Deadline(organ=organ_rows[0], year=y, due_on=date(y + 1, 1, 31))
             for y in range(first, last + 1)]
        )  # fmt: skip
    organ_by_pk = {o.pk: o for o in organ_rows}
    chunks = [
        (tree[i : i + batch_organs], [o.pk for o in organ_rows[i : i + batch_organs]],
         seed, first, last, error_rate)
        for i in range(0, len(tree), batch_organs)
    ]  # fmt: skip
    with _drawn(chunks, workers) as batches:
        for items in batches:
            for item in items:
                item.report.organ = organ_by_pk[item.report.organ_id]
            with transaction.atomic():
                _write(items, publisher, stats, last)
            if log:
                elapsed = time.perf_counter() - started
                log(f"{stats.reports} reports, {stats.figures} cells, {elapsed:.0f} s")
    _analyze()
    stats.seconds = round(time.perf_counter() - started, 1)
    return stats


def _analyze() -> None:
    """Fresh planner statistics and visibility map after a bulk load (PostgreSQL, autocommit)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = (Organ, AnnualReport, Figure, Finding, Publication, PublishedFigure)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
