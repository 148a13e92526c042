"""Query filters of the API; publications use public.filters, as the public list does."""

from __future__ import annotations

import django_filters
from django.db.models import Q, Subquery
from django.utils.translation import gettext_lazy as _

from organs.models import Organ
from public.filters import PublicationFilter
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


class ReportFilter(PublicationFilter):
    """The report list's filters (public.filters.PublicationFilter); the region is found by
    the database inside the list's own query."""

    def filter_region(self, queryset, name, value):
        # The organs under the region's materialised path (kept by every organ write), the
        # path read by a subquery: no walk of the tree and no cached list of ids, so a cold
        # request asks nothing more than its page. An unknown slug has no path: no organ.
        region_path = Organ.objects.filter(slug=value).values("path")[:1]
        organs = Organ.objects.filter(path__startswith=Subquery(region_path)).values("pk")
        return queryset.filter(organ_id__in=organs)
