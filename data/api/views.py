"""Read-only API views: current publications only, JSON only, paginated, throttled."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from data.api import docs, filters, serializers
from data.api.pagination import ReportPagination
from data.api.throttling import VisitorRateThrottle
from organs.models import Organ
from public import keyset
from public.models import Publication, PublishedFigure


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class _ListView(generics.ListAPIView):
    throttle_classes = [VisitorRateThrottle]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]


def _publications():
    return Publication.objects.current().select_related("organ")


def _publication(kwargs) -> Publication:
    return get_object_or_404(_publications(), organ__slug=kwargs["slug"], year=kwargs["year"])


class OrganList(_ListView):
    queryset = Organ.objects.active().select_related("parent").order_by("name", "pk")
    serializer_class = serializers.OrganSerializer
    filterset_class = filters.OrganFilter


class OrganDetail(generics.RetrieveAPIView):
    throttle_classes = [VisitorRateThrottle]
    queryset = Organ.objects.active().select_related("parent")
    serializer_class = serializers.OrganSerializer
    lookup_field = "slug"


class ReportList(_ListView):
    # The list reads only what a row shows (serializers.ReportSerializer), as named tuples:
    # no figures, findings, prose or measure columns, no model instances.
    queryset = (
        Publication.objects.current()
        .values_list(*serializers.REPORT_LIST_COLUMNS, named=True)
        .order_by("-year", "organ_name", "pk")
    )
    pagination_class = ReportPagination
    serializer_class = serializers.ReportSerializer
    filterset_class = filters.ReportFilter


class ReportDetail(generics.RetrieveAPIView):
    throttle_classes = [VisitorRateThrottle]
    serializer_class = serializers.ReportDetailSerializer

    def get_object(self) -> Publication:
        return _publication(self.kwargs)


class ReportFigures(_ListView):
    serializer_class = serializers.FigureSerializer
    filter_backends = []

    def get_queryset(self):
        publication = _publication(self.kwargs)
        return PublishedFigure.objects.filter(publication=publication).order_by("pk")


@api_view(["GET"])
def api_root(request):
    """Where everything is: the endpoints and the documentation page."""

    def url(name):
        return serializers.absolute(request, name)

    return Response(
        {
            "organs": url("reports:api_organs"),
            "reports": url("reports:api_reports"),
            "report": url("reports:api_reports") + "<organ>/<year>/",
            "figures": url("reports:api_reports") + "<organ>/<year>/figures/",
            "docs": url("reports:api_docs"),
        }
    )


def api_docs(request):
    """An HTML page describing each endpoint, its parameters, fields and examples."""
    return render(
        request,
        "reports/api/docs.html",
        {
            "parameters": docs.PARAMETERS,
            "organ_fields": docs.described(serializers.OrganSerializer.Meta.fields),
            "report_fields": docs.described(serializers.ReportSerializer.Meta.fields),
            "detail_fields": docs.described(
                serializers.ReportDetailSerializer.Meta.fields[
                    len(serializers.ReportSerializer.Meta.fields) :
                ]
            ),
            "figure_fields": docs.described(serializers.FigureSerializer.Meta.fields),
            "page_size": ApiPagination.page_size,
            "max_page_size": ApiPagination.max_page_size,
            "max_page": keyset.MAX_PAGE,
        },
    )
