"""The supervisor's compliance dashboard: every organ's report for a year, deadlines, lateness."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import csvsafe
from filing import permissions
from organs.models import Membership, Organ
from organs.widgets import PlainSelect
from review.deadlines import (
    STATUS_KEYS,
    ComplianceQuery,
    ComplianceRow,
    reporting_year,
    status_labels,
)

PAGE_SIZE = 100


class ComplianceFilterForm(forms.Form):
    """Year, region, status and late-only filters; the region choices depend on the user."""

    year = forms.IntegerField(label=gettext_lazy("报告年度"), min_value=2000, max_value=2100)
    region = forms.TypedChoiceField(
        label=gettext_lazy("地区"),
        coerce=int,
        required=False,
        empty_value=None,
        # A national tree offers thousands of regions: one pass, not a template per option.
        widget=PlainSelect,
    )
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)
    late = forms.BooleanField(label=gettext_lazy("只看逾期"), required=False)

    def __init__(self, data, *, regions, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [("", _("全部")), *regions]
        labels = status_labels()
        self.fields["status"].choices = [("", _("全部"))] + [(k, labels[k]) for k in STATUS_KEYS]


def _scope(user) -> dict[int, str] | None:
    """The region roots the user may see, {id: path}: None (all) for admins; 403 for anyone
    else."""
    if permissions.is_portal_admin(user):
        return None
    roots = dict(
        Membership.objects.filter(
            user=user, user__is_active=True, role=Membership.Role.SUPERVISOR
        ).values_list("organ_id", "organ__path")
    )
    if not roots:
        raise PermissionDenied("not a supervisor")
    return roots


def _regions(roots: dict[int, str] | None) -> list[tuple[int, str]]:
    """The region filter's choices, (id, name): organs of the user's scope with organs below
    them."""
    organs = Organ.objects.filter(Exists(Organ.objects.filter(parent_id=OuterRef("pk"))))
    if roots is not None:
        organs = organs.within(roots.values())
    return list(organs.order_by("name", "pk").values_list("pk", "name"))


def _filtered(request):
    """(form, rows) for the request's filters; rows is None when the filters are invalid.

    The rows are a ComplianceQuery: counted, filtered and paged by the database.
    """
    roots = _scope(request.user)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(reporting_year(today)))
    form = ComplianceFilterForm(data, regions=_regions(roots))
    if not form.is_valid():
        return form, None
    region = form.cleaned_data["region"]
    rows = ComplianceQuery(
        year=form.cleaned_data["year"],
        root_ids=[region] if region else (None if roots is None else list(roots)),
        today=today,
        status=form.cleaned_data["status"],
        late=form.cleaned_data["late"],
    )
    return form, rows


def _page_number(page) -> int:
    """The page Paginator.get_page most likely shows (junk: the first; checked after)."""
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _summary_empty() -> list[tuple[str, str, int]]:
    labels = status_labels()
    return [(key, labels[key], 0) for key in STATUS_KEYS]


def _summary(rows: ComplianceQuery) -> list[tuple[str, str, int]]:
    labels = status_labels()
    counts = rows.summary()
    return [(key, labels[key], counts.get(key, (0, 0))[0]) for key in STATUS_KEYS]


@login_required
def compliance(request):
    """The dashboard: one row per organ of the region, with the filters and the CSV link."""
    form, rows = _filtered(request)
    # A province has thousands of organs: the page shows PAGE_SIZE, the CSV has them all.
    if rows is not None:  # the counts and the expected page's rows in one query
        rows.prefetch((_page_number(request.GET.get("page")) - 1) * PAGE_SIZE, PAGE_SIZE)
    page = Paginator(rows if rows is not None else [], PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "year": form.cleaned_data.get("year") if rows is not None else form.data.get("year"),
        "entries": [(row, _review_url(row)) for row in page.object_list],
        "page": page,
        "total": rows.count() if rows is not None else 0,
        "page_query": query.urlencode(),
        "summary": _summary(rows) if rows is not None else _summary_empty(),
        "late_count": rows.late_count() if rows is not None else 0,
        "csv_query": request.GET.urlencode(),
    }
    status = 200 if rows is not None else 400
    return render(request, "reports/compliance/dashboard.html", context, status=status)


def _review_url(row: ComplianceRow) -> str:
    """The report's page in the review queue, if there is a report (and a review page)."""
    if row.report_id is None:
        return ""
    try:
        return reverse("reports:review_detail", kwargs={"pk": row.report_id})
    except NoReverseMatch:
        return ""


@login_required
def compliance_csv(request):
    """The dashboard's rows as CSV (same filters), UTF-8 with a BOM so Excel reads Chinese."""
    form, rows = _filtered(request)
    if rows is None:
        return HttpResponse(
            "\n".join(" ".join(e) for e in form.errors.values()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    year = form.cleaned_data["year"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compliance-{year}.csv"'
    response.write("\ufeff")
    writer = csvsafe.writer(response)
    writer.writerow(
        [_("机关"), _("报告年度"), _("状态"), _("更正中"), _("截止日期"), _("首次发布日期"),
         _("逾期天数"), _("错误数")]
    )  # fmt: skip
    for row in rows.all():
        writer.writerow(
            [
                row.organ.name,
                year,
                row.status_label,
                _("是") if row.correcting else "",
                row.deadline.isoformat(),
                row.published_on.isoformat() if row.published_on else "",
                row.days_late,
                row.errors,
            ]
        )
    return response


urlpatterns = [
    path("compliance/", compliance, name="compliance"),
    path("compliance/export.csv", compliance_csv, name="compliance_csv"),
]
