"""Query filters of the API; publications use public.filters, as the public list does."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organs.models import Organ
from public.selectors import region_ids, search_terms


class OrganFilter(django_filters.FilterSet):
    """?region=&kind=&q= over active organs."""

    region = django_filters.CharFilter(method="filter_region", label=_("地区标识"))
    kind = django_filters.ChoiceFilter(choices=Organ.Kind.choices, label=_("类型"))
    q = django_filters.CharFilter(method="filter_q", label=_("关键词"))

    class Meta:
        model = Organ
        fields = ["region", "kind", "q"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(pk__in=region_ids(value))

    def filter_q(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        return queryset
