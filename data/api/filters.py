"""Query filters of the API: the same parameters as the public list pages."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import formats
from organs.models import Organ
from public.models import Publication
from public.selectors import search_terms


def _region_ids(slug: str) -> list[int]:
    organ = Organ.objects.filter(slug=slug).first()
    return organ.region_ids() if organ else []


class PublicationFilter(django_filters.FilterSet):
    """?year=&organ=&region=&edition=&q= over current publications."""

    year = django_filters.NumberFilter(field_name="year", label=_("年度"))
    organ = django_filters.CharFilter(field_name="organ__slug", label=_("机关标识"))
    region = django_filters.CharFilter(method="filter_region", label=_("地区标识"))
    edition = django_filters.ChoiceFilter(
        field_name="edition",
        choices=[(e.key, e.name) for e in formats.EDITION_DEFS.values()],
        label=_("表格版本"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Publication
        fields = ["year", "organ", "region", "edition", "q"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(organ_id__in=_region_ids(value))

    def filter_q(self, queryset, name, value):
        # Every term must occur (AND), as on the public list.
        for term in search_terms(value):
            queryset = queryset.filter(search_text__icontains=term)
        return queryset


class OrganFilter(django_filters.FilterSet):
    """?region=&kind=&q= over active organs."""

    region = django_filters.CharFilter(method="filter_region", label=_("地区标识"))
    kind = django_filters.ChoiceFilter(choices=Organ.Kind.choices, label=_("类型"))
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Organ
        fields = ["region", "kind", "q"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(pk__in=_region_ids(value))

    def filter_q(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        return queryset
