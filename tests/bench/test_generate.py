"""The benchmark dataset generator: counts, editions, checks and publications on a tiny run."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bench.corpus.figures import OrganState, draw_year
from bench.dataset import PREFIX, dataset_generate, generate, organ_tree, write
from bench.dataset.organs import profile_for
from core import formats
from core.checks import ERROR, check_report
from filing.models import AnnualReport, Figure, Finding
from filing.services import report_findings_refresh
from filing.workflow import Status
from organs.models import Membership, Organ
from public.measures import publication_measures
from public.models import Publication, PublishedFigure
from public.names import search_text


@pytest.fixture
def generated(db):
    # Seed 5 plants table errors in two of the ten reports (and warnings in others).
    out = StringIO()
    call_command(
        "generate_dataset", "--organs", "5", "--years", "2", "--last-year", "2021",
        "--seed", "5", "--error-rate", "0.3", "--workers", "1", stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_command_writes_every_organ_year_with_its_cells(generated):
    assert "5 organs, 10 reports" in generated
    assert Organ.objects.filter(slug__startswith=PREFIX).count() == 5
    assert AnnualReport.objects.count() == 10
    for report in AnnualReport.objects.all():
        edition = formats.get_edition(report.edition)
        expected = len(edition.section2_cells()) + 7 * len(edition.section3_rows) + 15
        assert report.figures.count() == expected


def test_years_before_2021_use_the_2019_edition(generated):
    editions = dict(AnnualReport.objects.values_list("year", "edition").distinct())
    assert editions[2020] == formats.EDITION_2019
    assert AnnualReport.objects.filter(year=2021, edition=formats.EDITION_2021).exists()


def test_most_reports_pass_the_checks_and_some_fail(generated):
    failing = AnnualReport.objects.filter(findings__severity=Finding.Severity.ERROR).distinct()
    assert 0 < failing.count() <= 4


def test_stored_findings_are_what_the_checks_say(generated):
    for report in AnnualReport.objects.all():
        stored = sorted(report.findings.values_list("code", "severity"))
        fresh = sorted((f.code, f.severity) for f in report_findings_refresh(report=report))
        assert stored == fresh, report


def test_published_reports_have_publications_consistent_with_their_figures(generated):
    published = AnnualReport.objects.filter(status=Status.PUBLISHED)
    assert published.filter(year=2020).count() >= 3
    for report in published:
        publication = report.current_publication
        assert publication is not None and publication.is_current and publication.number == 1
        assert report.published_on == publication.published_on
        figures = report.figures_dict()
        assert publication.figures == figures
        measures = publication_measures(figures, report.edition)
        assert measures == {k: getattr(publication, k) for k in measures}
        assert publication.search_text == search_text(report.organ, report)
        assert publication.organ_name == report.organ.name  # the list's order reads it
        errors = report.findings.filter(severity="error").count()
        assert (
            publication.error_count
            == errors
            == len([f for f in publication.findings if f["severity"] == "error"])
        )
        cells = set(report.figures.values_list("table", "row", "column", "value"))
        published_cells = PublishedFigure.objects.filter(publication=publication)
        assert set(published_cells.values_list("table", "row", "column", "value")) == cells
        assert set(published_cells.values_list("year", "edition", "organ_id", "is_current")) == {
            (report.year, report.edition, report.organ_id, True)
        }
    assert Publication.objects.count() == published.count()
    unpublished = AnnualReport.objects.exclude(status=Status.PUBLISHED)
    assert not unpublished.filter(current_publication__isnull=False).exists()


def test_supervisors_and_clerks_are_created(generated):
    roles = Counter(Membership.objects.values_list("role", flat=True))
    assert roles[Membership.Role.SUPERVISOR] >= 2 and roles[Membership.Role.CLERK] >= 1


def test_a_second_run_needs_clear_and_clear_replaces_the_data(generated):
    with pytest.raises(CommandError):
        call_command("generate_dataset", "--organs", "5", "--years", "1", stdout=StringIO())
    dataset_generate(organs=4, years=1, last_year=2022, clear=True)
    assert AnnualReport.objects.count() == 4
    assert Figure.objects.filter(report__year=2021).count() == 0


def test_tree_has_one_root_and_every_kind():
    tree = organ_tree(400, __import__("random").Random(0))
    assert len(tree) == 400 and [r["parent"] for r in tree].count(None) == 1
    kinds = Counter(r["kind"] for r in tree)
    assert {"city", "county", "district", "town", "street", "department"} <= set(kinds)
    assert len({r["slug"] for r in tree}) == 400


def test_a_national_tree_still_names_every_town_once():
    # 37 syllables make 1,369 two-syllable names a suffix; 20,000 organs need ~15,000 towns.
    tree = organ_tree(20_000, __import__("random").Random(0))
    places = [r["short"] for r in tree if r["kind"] in ("town", "street")]
    assert len(places) > 10_000 and len(set(places)) == len(places)
    small = organ_tree(2_000, __import__("random").Random(0))
    assert {len(r["short"]) for r in small if r["kind"] == "town"} == {3}  # two syllables + 镇
    assert any(len(r["short"]) == 4 for r in tree if r["kind"] == "town")  # three, when needed


def test_every_kind_of_organ_gets_balanced_figures_from_the_corpus_year_after_year():
    rng = __import__("random").Random(5)
    for row in organ_tree(400, __import__("random").Random(1))[:60]:
        profile, state, previous = profile_for(row, rng), OrganState(), None
        for year in range(2018, 2024):
            figures = draw_year(profile, year, state, rng)
            edition = formats.EDITION_2019 if year <= 2020 else formats.EDITION_2021
            errors = [
                f.code
                for f in check_report(figures, edition, previous=previous)
                if f.severity == ERROR
            ]
            assert errors == [], (row["kind"], year, errors)
            previous = {"edition": edition, "figures": figures}


def test_generation_is_the_same_for_the_same_seed(db):
    def snapshot():
        return sorted(
            AnnualReport.objects.values_list("organ__slug", "year", "edition", "status", "overview")
        ), sorted(Figure.objects.values_list("report__organ__slug", "report__year", "table",
                                              "row", "column", "value"))  # fmt: skip

    dataset_generate(organs=6, years=3, seed=9, last_year=2022, workers=1)
    first = snapshot()
    dataset_generate(organs=6, years=3, seed=9, last_year=2022, workers=2, clear=True)
    assert snapshot() == first
    dataset_generate(organs=6, years=3, seed=10, last_year=2022, clear=True)
    assert snapshot() != first


def test_no_progress_bar_when_the_output_is_not_a_terminal(db):
    err = StringIO()
    call_command(
        "generate_dataset", "--organs", "3", "--years", "1", "--workers", "1",
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert err.getvalue() == ""


def _cell_rows():
    figures = sorted(
        Figure.objects.values_list(
            "report__organ__slug", "report__year", "table", "row", "column", "value", "source"
        )
    )
    published = sorted(
        PublishedFigure.objects.values_list(
            "publication__report__organ__slug", "organ__slug", "year", "edition", "table",
            "row", "column", "value", "is_current",
        )
    )  # fmt: skip
    return figures, published


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")
def test_copy_writes_the_same_cells_as_bulk_create(db, monkeypatch):
    dataset_generate(organs=6, years=3, seed=9, last_year=2022, workers=1, error_rate=0.3)
    copied = _cell_rows()
    assert len(copied[0]) > 1000 and len(copied[1]) > 1000
    monkeypatch.setattr(write, "copies", lambda: False)
    dataset_generate(
        organs=6, years=3, seed=9, last_year=2022, workers=1, error_rate=0.3, clear=True
    )
    assert _cell_rows() == copied


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")
def test_a_load_without_key_triggers_is_verified_afterwards(db):
    stats = dataset_generate(organs=3, years=1, last_year=2022, workers=1)
    assert stats.unchecked_keys  # the test database's user is a superuser
    write.foreign_keys_verify()
    report = AnnualReport.objects.first()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        Figure.objects.filter(report=report).update(report_id=report.pk + 10_000)
        with pytest.raises(ValueError, match="Figure.report"):
            write.foreign_keys_verify()
        transaction.set_rollback(True)


def test_cells_are_escaped_for_copy():
    assert write._text("a\tb\\c\nd") == "a\\tb\\\\c\\nd"
    assert write._text(None) == "\\N" and write._text(True) == "t"


def test_progress_lines_go_to_a_log_with_verbosity_2(db):
    err = StringIO()
    call_command(
        "generate_dataset", "--organs", "3", "--years", "2", "--workers", "1", "-v", "2",
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert "6/6 reports (100.0%)" in err.getvalue() and "peak RSS" in err.getvalue()


def test_drawing_ahead_of_the_writer_is_bounded():
    # A writer slower than the drawers must not collect every drawn batch in memory.
    submitted = []

    class Done:
        def __init__(self, chunk):
            self.chunk = chunk

        def get(self):
            return self.chunk

    def submit(chunk):
        submitted.append(chunk)
        return Done(chunk)

    seen = []
    for result in generate._windowed(submit, list(range(10)), window=3):
        assert len(submitted) <= len(seen) + 3
        seen.append(result)
    assert seen == list(range(10)) and len(submitted) == 10


def test_two_drawing_processes_write_every_report(transactional_db):
    # transactional: the pool is forked after closing this process's connections.
    stats = dataset_generate(organs=8, years=2, last_year=2022, workers=2, batch_organs=2)
    assert stats.reports == AnnualReport.objects.count() == 16
    assert stats.peak_rss_mb > 0 and stats.peak_worker_rss_mb > 0
