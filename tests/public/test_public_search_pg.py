"""The public search on PostgreSQL: pg_trgm and a trigram index the icontains query uses."""

import pytest
from django.db import connection

from filing.workflow import Status
from public.filters import PublicListFilter
from public.models import Publication
from tests.support.factories import make_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_the_migration_installs_pg_trgm_and_the_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'publication_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "upper(search_text)" in definition
    assert "gin_trgm_ops" in definition


def test_a_chinese_search_can_use_the_trigram_index(town, other_town):
    make_report(town, 2023, Status.PUBLISHED, overview="推进政务公开标准化规范化建设。")
    make_report(other_town, 2023, Status.PUBLISHED, overview="加强政策解读。")
    queryset = PublicListFilter(
        {"q": "标准化规范"},
        queryset=Publication.objects.current(),
        years=[2023],
        regions=[],
    ).qs
    assert [p.organ.slug for p in queryset] == ["zimao"]
    # The same lookup the selector adds per term; Django compiles it to UPPER(..) LIKE, which
    # is the indexed expression. Two rows make a scan cheaper: forbid scans to see the index.
    lookup = Publication.objects.filter(search_text__icontains="标准化规范").values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = lookup.explain()
    assert "publication_search_trgm" in plan


def search(q):
    """The list's filtered rows for a search word (2023, every region)."""
    return PublicListFilter(
        {"q": q}, queryset=Publication.objects.current(), years=[2023], regions=[]
    ).qs


def test_a_term_of_one_or_two_characters_uses_the_grams_index(town, other_town):
    make_report(town, 2023, Status.PUBLISHED, overview="推进政务公开标准化规范化建设。")
    make_report(other_town, 2023, Status.PUBLISHED, overview="加强政策解读。")

    assert [p.organ.slug for p in search("规范")] == ["zimao"]
    assert [p.organ.slug for p in search("读")] == [other_town.slug]
    assert sorted(p.organ.slug for p in search("加强 读")) == [other_town.slug]
    assert list(search("范规")) == []  # both characters occur, not as a pair
    # The condition the filter adds; with scans forbidden (two rows make them cheaper) only
    # the grams index can answer it.
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from public.filters import SHORT_TERM_SQL

    lookup = Publication.objects.filter(
        RawSQL(SHORT_TERM_SQL, ["规范"], output_field=BooleanField())
    ).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = lookup.explain()
    assert "publication_search_grams_col" in plan


def test_a_short_term_is_checked_by_a_like_before_the_grams(town, other_town):
    make_report(town, 2023, Status.PUBLISHED, overview="推进Ab类事项公开。")
    make_report(other_town, 2023, Status.PUBLISHED, overview="加强政策解读。")

    # Letters match in any case, as the grams (of the upper-cased text) do.
    assert [p.organ.slug for p in search("ab")] == ["zimao"]
    assert [p.organ.slug for p in search("AB")] == ["zimao"]
    assert [p.organ.slug for p in search("读")] == [other_town.slug]
    # A walk of an order's index checks the cheap LIKE on each row, the grams only on the
    # rows that hold the term (13 µs a row against about 1).
    where = str(search("读").query).split(" WHERE ", 1)[1]
    assert where.index("LIKE") < where.index("search_grams")
