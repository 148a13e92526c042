"""The keyword's condition is written after the other filters', so the database checks the
costly search only on rows the year, edition and region keep (PostgreSQL keeps the written
order among conditions its planner costs the same)."""

import pytest

from public.filters import PublicationFilter, PublicListFilter
from public.models import Publication

pytestmark = pytest.mark.django_db


def where(queryset) -> str:
    return str(queryset.query).split(" WHERE ", 1)[1]


@pytest.mark.parametrize("make", [
    lambda data: PublicListFilter(data, queryset=Publication.objects.current(),
                                  years=[2023], organs=[], regions=[]),
    lambda data: PublicationFilter(data, queryset=Publication.objects.current()),
], ids=["list", "api"])  # fmt: skip
def test_the_search_condition_comes_after_the_other_filters(make):
    clause = where(make({"q": "公开", "year": "2023", "edition": "2021"}).qs)
    search = clause.index("search_")
    assert clause.index('"year"') < search and clause.index('"edition"') < search
