"""Every URL of the portal against every persona and every report status, with exact codes.

One parametrised test: for each (report status, persona) it builds organ A's 2023 report in
that status (with an uploaded seed file and its finished parse run), logs the persona in and
requests every URL, comparing the response with the table EXPECTED below. The table is
written out by hand from the intended policy; nothing here calls filing.permissions.

POSTs are only sent where the persona must be refused (or where the report's status refuses
the action); after each one the database must be unchanged (status, version, audit events,
attachments, parse runs, publications, comments, reports).

Personas: anonymous; clerk_a (clerk of organ A, 紫帽镇, whose report it is); clerk_b (clerk
of organ B, 英林镇, same region); supervisor (晋江市, A's region); other_supervisor (a
supervisor of another region, 石狮市宝盖镇); admin (portal administrator: staff + admin role).

Statuses: draft, submitted, returned, approved, published, correcting (published, then
reopened as a correction: status draft, the publication still public).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from filing import services
from filing.models import AnnualReport, Attachment, AuditEvent, ParseRun
from filing.workflow import Status
from organs.models import Membership
from portal import urls_reports as reports_urls
from public import services as public_services
from public.models import Publication
from review import services as review_services
from review.models import ReviewComment
from tests.support.factories import make_report, system_admin
from tests.support.render import OTHER_TOWN_2023, TOWN_2023, corpus_bytes

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "clerk_a", "clerk_b", "supervisor", "other_supervisor", "admin")
STATUSES = ("draft", "submitted", "returned", "approved", "published", "correcting")
PUBLIC_STATUSES = {"published", "correcting"}  # both have a current publication
EDITABLE_STATUSES = {"draft", "returned", "correcting"}  # the clerk may still change these
# Review transitions the pipeline allows from each status (for supervisor and admin).
REVIEW_ALLOWED = {
    "return": {"submitted", "approved"},
    "approve": {"submitted"},
    "publish": {"approved"},
    "reopen": {"published"},
    "comment": set(STATUSES),
    "decide": set(STATUSES),  # a finding's confirmed/dismissed, at any stage
}
# Live prose of organ A's report that was never published: no public response may show it.
UNPUBLISHED_MARKER = "尚未发布的矩阵测试内容"

# Expected outcomes:
#   "200" "400" "403" "404" "405" "409"  that exact status code
#   "login"        302 to the portal's login page (/accounts/login/?next=...)
#   "admin_login"  302 to the admin's login page (/admin/login/?next=...)
#   "back"         302 back to a page of the portal (a refusal shown as a message)
#   PUB            "200" when the report is public (published or correcting), else "404"
#   PUB_PDF        the same for the PDF, whose page answers 503 here ("no LibreOffice":
#                  the test hides it, a conversion takes seconds) where the file is allowed
#   REVIEW         supervisor/admin POST of a review action: not sent where the pipeline
#                  allows it (None); "409" where the report's status refuses it
#   IF_LOCKED(x)   clerk A's own POST: not sent while the report is editable (None); x once
#                  it is submitted, approved or published
PUB = "PUB"
PUB_PDF = "PUB_PDF"
REVIEW = "REVIEW"


def IF_LOCKED(code: str) -> str:
    return f"LOCKED:{code}"


# url kind: (anonymous, clerk_a, clerk_b, supervisor, other_supervisor, admin)
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # --- public: everybody sees the same; unpublished reports do not exist here
    "home":                ("200", "200", "200", "200", "200", "200"),
    "healthz":             ("200", "200", "200", "200", "200", "200"),
    "language":            ("back", "back", "back", "back", "back", "back"),
    "report_list":         ("200", "200", "200", "200", "200", "200"),
    "report_list_search":  ("200", "200", "200", "200", "200", "200"),
    "organ":               ("200", "200", "200", "200", "200", "200"),
    "stats":               ("200", "200", "200", "200", "200", "200"),
    "stats_csv":           ("200", "200", "200", "200", "200", "200"),
    "api_root":            ("200", "200", "200", "200", "200", "200"),
    "api_organs":          ("200", "200", "200", "200", "200", "200"),
    "api_organ":           ("200", "200", "200", "200", "200", "200"),
    "api_reports":         ("200", "200", "200", "200", "200", "200"),
    "dataset":             ("200", "200", "200", "200", "200", "200"),
    # region roll-ups of published figures: public; the outliers only for the region's
    # supervisors (OUTLIERS_SEEN_BY, checked on the page's body)
    "region":              ("200", "200", "200", "200", "200", "200"),
    "region_rollup":       ("200", "200", "200", "200", "200", "200"),
    # the roll-up's PDF answers 503 here (no LibreOffice: soffice is patched away), to all
    "region_pdf":          ("503", "503", "503", "503", "503", "503"),
    "report_detail":       (PUB, PUB, PUB, PUB, PUB, PUB),
    "report_version":      (PUB, PUB, PUB, PUB, PUB, PUB),
    "report_download":     (PUB, PUB, PUB, PUB, PUB, PUB),
    "report_pdf":          (PUB_PDF, PUB_PDF, PUB_PDF, PUB_PDF, PUB_PDF, PUB_PDF),
    "api_report":          (PUB, PUB, PUB, PUB, PUB, PUB),
    "report_post":         ("405", "405", "405", "405", "405", "405"),
    # uploaded files are never served from MEDIA_URL, only through the checked views
    "media_file":          ("404", "404", "404", "404", "404", "404"),
    # --- clerk: only organ A's clerk reaches organ A's report; others never learn it exists
    # (admins included: they work in the Django admin). Starting organ A's 2024 report is a
    # form error (400) for anyone else: organ A is not among their choices. None: not sent.
    "workspace":           ("login", "200", "200", "200", "200", "200"),
    "clerk_page":          ("login", "200", "404", "404", "404", "404"),
    "clerk_pdf":           ("login", "503", "404", "404", "404", "404"),
    # The matrix's run read a text file: no cell has a scan crop, so 404 even where the role
    # passes (who gets a real crop: tests/filing/test_scan_uploads.py).
    "scan_crop":           ("login", "404", "404", "404", "404", "404"),
    "clerk_apply_get":     ("login", "405", "404", "404", "404", "404"),
    "clerk_start_post":    ("login", None, "400", "400", "400", "400"),
    "clerk_edit_post":     ("login", IF_LOCKED("403"), "404", "404", "404", "404"),
    "clerk_submit_post":   ("login", IF_LOCKED("409"), "404", "404", "404", "404"),
    "clerk_upload_post":   ("login", IF_LOCKED("back"), "404", "404", "404", "404"),
    "clerk_apply_post":    ("login", IF_LOCKED("back"), "404", "404", "404", "404"),
    # --- review: clerks are refused (403); another region's supervisor gets 404
    "review_queue":        ("login", "403", "403", "200", "200", "200"),
    "review_page":         ("login", "403", "403", "200", "404", "200"),
    "review_action_get":   ("login", "405", "405", "405", "405", "405"),
    "review_action_post":  ("login", "403", "403", REVIEW, "404", REVIEW),
    "compliance":          ("login", "403", "403", "200", "200", "200"),
    # --- Django admin: staff only; everyone else is sent to the admin's login page
    "admin":               ("admin_login",) * 5 + ("200",),
}  # fmt: skip
# Who sees the roll-up's outliers (advice for the region's reviewers, never public).
OUTLIERS_SEEN_BY = {"supervisor"}
OUTLIERS_MARKER = b'id="title-outliers"'


def expected(kind: str, persona: str, status: str, action: str = "") -> str | None:
    """The expected outcome of one request; None when the request is not made."""
    code = EXPECTED[kind][PERSONAS.index(persona)]
    if code in (PUB, PUB_PDF):
        if status not in PUBLIC_STATUSES:
            return "404"
        return "200" if code == PUB else "503"
    if code == REVIEW:
        return None if status in REVIEW_ALLOWED[action] else "409"
    if code is not None and code.startswith("LOCKED:"):
        return None if status in EDITABLE_STATUSES else code.split(":", 1)[1]
    return code


@pytest.fixture
def other_supervisor(django_user_model, outside_town):
    user = django_user_model.objects.create_user(username="other_supervisor", password="pw")
    Membership.objects.create(user=user, role=Membership.Role.SUPERVISOR, organ=outside_town)
    return user


@pytest.fixture
def admin(portal_admin):
    portal_admin.is_staff = portal_admin.is_superuser = True
    portal_admin.save()
    return portal_admin


def build_report(status: str, *, town, clerk, supervisor, capture):
    """Organ A's 2023 report in ``status`` with an uploaded file whose parse was applied.

    Applied while still a draft, so a publication pins that file as its original.
    """
    report = make_report(town, 2023, Status.DRAFT)
    with capture(execute=True):
        attachment = services.attachment_add(
            data=corpus_bytes(TOWN_2023),
            original_name="000.txt",
            uploaded_by=clerk,
            report=report,
        )
        run = services.parse_run_queue(attachment=attachment)
    run.refresh_from_db()
    assert run.status == ParseRun.Status.DONE, run.message
    services.report_apply_parsed(report=report, run=run, acting_user=clerk)
    target = Status.APPROVED if status in PUBLIC_STATUSES else status
    AnnualReport.objects.filter(pk=report.pk).update(status=target)
    report.refresh_from_db()
    if status in PUBLIC_STATUSES:
        with capture(execute=True):
            public_services.report_publish(
                report=report, acting_user=system_admin(), published_on=date(2024, 1, 20)
            )
    if status == "correcting":
        review_services.report_reopen(report=report, acting_user=supervisor, reason="更正数字")
    AnnualReport.objects.filter(pk=report.pk).update(overview=UNPUBLISHED_MARKER)
    report.refresh_from_db()
    assert report.status == (Status.DRAFT if status == "correcting" else status)
    return report, attachment, run


def url_table(report, attachment, run) -> list[tuple[str, str, str, str, dict]]:
    """(kind, action, method, url, data) for every URL of the portal."""
    pk = {"pk": report.pk}
    slug = {"slug": report.organ.slug, "year": report.year}
    files = {"pk": report.pk, "attachment_id": attachment.pk}
    runs = {**files, "run_id": run.pk}

    def r(name, **kwargs):
        return reverse(f"reports:{name}", kwargs=kwargs or None)

    region = {"slug": report.organ.parent.slug, "year": report.year}
    finding = report.findings.values_list("pk", flat=True).first() or 0
    cell = {**region, "table": "section3", "row": "一", "column": "总计"}

    def upload():
        return {"files": SimpleUploadedFile("001.txt", corpus_bytes(OTHER_TOWN_2023))}

    rows = [
        ("home", "", "get", r("home"), {}),
        ("healthz", "", "get", r("healthz"), {}),
        ("language", "", "get", r("language_switch", code="en") + "?next=/reports/", {}),
        ("report_list", "", "get", r("report_list"), {}),
        ("report_list_search", "", "get", r("report_list") + "?year=2023&q=紫帽", {}),
        ("organ", "", "get", r("organ_detail", slug="zimao"), {}),
        ("stats", "", "get", r("stats"), {}),
        ("stats_csv", "", "get", r("stats_csv"), {}),
        ("api_root", "", "get", r("api_root"), {}),
        ("api_root", "", "get", r("api_docs"), {}),
        ("api_organs", "", "get", r("api_organs"), {}),
        ("api_organ", "", "get", r("api_organ", slug="zimao"), {}),
        ("api_reports", "", "get", r("api_reports"), {}),
        ("api_reports", "", "get", r("api_reports") + "?year=2023&organ=zimao", {}),
        ("dataset", "", "get", r("dataset_csv"), {}),
        ("dataset", "", "get", r("dataset_json") + "?year=2023", {}),
        ("dataset", "", "get", r("dataset_xlsx"), {}),
        ("region_rollup", "", "get", r("region_rollup", **region), {}),
        ("region", "", "get", r("region_league", **region), {}),
        ("region", "", "get", r("region_cell", **cell), {}),
        ("region", "", "get", r("region_csv", **region), {}),
        ("region", "", "get", r("region_xlsx", **region), {}),
        ("region", "", "get", r("api_region", **region), {}),
        ("region", "", "get", r("region_docx", **region), {}),
        ("region_pdf", "", "get", r("region_pdf", **region), {}),
        ("report_detail", "", "get", r("report_detail", **slug), {}),
        ("report_version", "", "get", r("report_detail", **slug) + "?version=1", {}),
        ("report_download", "", "get", r("report_original", **slug), {}),
        ("report_download", "", "get", r("report_figures_csv", **slug), {}),
        ("report_download", "", "get", r("report_figures_json", **slug), {}),
        ("report_download", "", "get", r("report_figures_json", **slug) + "?version=1", {}),
        ("report_download", "", "get", r("report_document_docx", **slug), {}),
        ("report_download", "", "get", r("report_document_docx", **slug) + "?version=1", {}),
        ("report_pdf", "", "get", r("report_document_pdf", **slug), {}),
        ("api_report", "", "get", r("api_report", **slug), {}),
        ("api_report", "", "get", r("api_report_figures", **slug), {}),
        ("report_post", "", "post", r("report_detail", **slug), {}),
        ("report_post", "", "post", r("report_figures_csv", **slug), {}),
        ("media_file", "", "get", attachment.file.url, {}),
        ("workspace", "", "get", r("workspace"), {}),
        ("clerk_page", "", "get", r("report_edit", **pk), {}),
        ("clerk_page", "", "get", r("report_submit", **pk), {}),
        ("clerk_page", "", "get", r("attachment_list", **pk), {}),
        ("clerk_page", "", "get", r("attachment_upload", **pk), {}),
        ("clerk_page", "", "get", r("attachment_status", **files), {}),
        ("clerk_page", "", "get", r("attachment_download", **files), {}),
        ("clerk_page", "", "get", r("parse_run_review", **runs), {}),
        ("scan_crop", "", "get", r("parsed_value_crop", **runs, value_id=run.values.first().pk), {}),
        ("clerk_page", "", "get", r("report_draft_docx", **pk), {}),
        ("clerk_pdf", "", "get", r("report_draft_pdf", **pk), {}),
        ("clerk_apply_get", "", "get", r("parse_run_apply", **runs), {}),
        ("clerk_start_post", "", "post", r("report_start"), {"organ": report.organ_id, "year": 2024}),
        ("clerk_edit_post", "", "post", r("report_edit", **pk), {"version": report.version}),
        ("clerk_submit_post", "", "post", r("report_submit", **pk), {}),
        ("clerk_upload_post", "", "post", r("attachment_upload", **pk), upload),
        ("clerk_apply_post", "", "post", r("parse_run_apply", **runs), {}),
        ("clerk_apply_get", "", "get", r("parse_run_retry", **runs), {}),
        ("clerk_apply_post", "", "post", r("parse_run_retry", **runs), {}),
        ("review_queue", "", "get", r("review_queue"), {}),
        ("review_page", "", "get", r("review_detail", **pk), {}),
        ("review_page", "", "get", r("review_attachment", **files), {}),
        ("review_action_get", "", "get", r("review_approve", **pk), {}),
        ("review_action_get", "", "get", r("review_reopen", **pk), {}),
        ("review_action_post", "return", "post", r("review_return", **pk), {"return-comment": "退回"}),
        ("review_action_post", "approve", "post", r("review_approve", **pk), {"approve-comment": ""}),
        ("review_action_post", "publish", "post", r("review_publish", **pk),
         {"publish-published_on": "2024-01-25", "publish-correction_note": "更正"}),
        ("review_action_post", "reopen", "post", r("review_reopen", **pk), {"reopen-reason": "更正"}),
        ("review_action_post", "comment", "post", r("review_comment", **pk),
         {"comment-body": "意见", "comment-cell": ""}),
        ("review_action_post", "decide", "post", r("review_decide", **pk),
         {"decision-finding": finding, "decision-decision": "dismissed",
          "decision-reason": "原件如此"}),
        ("compliance", "", "get", r("compliance"), {}),
        ("compliance", "", "get", r("compliance_csv") + "?year=2023", {}),
        ("admin", "", "get", reverse("admin:index"), {}),
        ("admin", "", "get", reverse("admin:filing_annualreport_changelist"), {}),
        ("admin", "", "get", reverse("admin:filing_annualreport_change", args=[report.pk]), {}),
        ("admin", "", "get", reverse("admin:organs_organ_import"), {}),
    ]  # fmt: skip
    return rows


def db_state(report) -> dict:
    """What no refused request may change."""
    report.refresh_from_db()
    return {
        "status": report.status,
        "version": report.version,
        "overview": report.overview,
        "current_publication": report.current_publication_id,
        "audit_events": AuditEvent.objects.count(),
        "attachments": Attachment.objects.count(),
        "parse_runs": ParseRun.objects.count(),
        "publications": Publication.objects.count(),
        "comments": ReviewComment.objects.count(),
        "reports": AnnualReport.objects.count(),
        "figures": report.figures.count(),
    }


def outcome(response) -> str:
    """The response as one of the table's outcome words."""
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(reverse("admin:login")):
        return "admin_login"
    if location.startswith(reverse("login")):
        return "login"
    return "back"


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_url_answers_each_persona_as_the_policy_table_says(
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
    status,
    persona,
    town,
    clerk,
    other_clerk,
    supervisor,
    other_supervisor,
    admin,
):
    monkeypatch.setattr("data.documents.soffice_path", lambda: None)
    report, attachment, run = build_report(
        status,
        town=town,
        clerk=clerk,
        supervisor=supervisor,
        capture=django_capture_on_commit_callbacks,
    )
    users = {
        "clerk_a": clerk,
        "clerk_b": other_clerk,
        "supervisor": supervisor,
        "other_supervisor": other_supervisor,
        "admin": admin,
    }
    if persona != "anonymous":
        client.force_login(users[persona])
    failures = []
    for kind, action, method, url, data in url_table(report, attachment, run):
        want = expected(kind, persona, status, action)
        if want is None:
            continue
        where = f"{method.upper()} {url} as {persona} on a {status} report"
        before = db_state(report) if method == "post" else None
        if callable(data):
            data = data()
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data)
        got = outcome(response)
        if got != want:
            failures.append(f"{where}: expected {want}, got {got} ({response.status_code})")
            continue
        if before is not None and db_state(report) != before:
            failures.append(f"{where}: refused ({got}) but the database changed")
        public = ("report", "api", "dataset", "stats", "home", "organ", "region")
        if got == "200" and kind.startswith(public):
            if UNPUBLISHED_MARKER.encode() in body(response):
                failures.append(f"{where}: a public response shows unpublished prose")
        if got == "200" and kind == "region_rollup":
            if (OUTLIERS_MARKER in body(response)) != (persona in OUTLIERS_SEEN_BY):
                failures.append(f"{where}: outliers shown to the wrong persona")
    assert not failures, "\n".join(failures)


def test_mixing_ones_own_report_with_another_organs_file_or_run_ids_finds_nothing(
    client, django_capture_on_commit_callbacks, town, other_town, outside_town, clerk,
    other_clerk, supervisor, other_supervisor,
):  # fmt: skip
    """Clerk B (and a supervisor of another region) put A's ids into URLs of their own report."""
    report_a, attachment_a, run_a = build_report(
        "draft", town=town, clerk=clerk, supervisor=supervisor,
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    report_b = make_report(other_town, 2023, Status.DRAFT)
    outside = make_report(outside_town, 2023, Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False):
        attachment_b = services.attachment_add(
            data=corpus_bytes(OTHER_TOWN_2023), original_name="001.txt", report=report_b
        )
        run_b = services.parse_run_queue(attachment=attachment_b)
    cases = [
        (other_clerk, "get", "attachment_status", report_b, attachment_a, None),
        (other_clerk, "get", "attachment_download", report_b, attachment_a, None),
        (other_clerk, "get", "parse_run_review", report_b, attachment_a, run_a),
        (other_clerk, "get", "parse_run_review", report_b, attachment_b, run_a),
        (other_clerk, "post", "parse_run_apply", report_b, attachment_a, run_a),
        (other_clerk, "post", "parse_run_apply", report_b, attachment_b, run_a),
        (other_supervisor, "get", "review_attachment", outside, attachment_a, None),
    ]
    for user, method, name, report, attachment, run in cases:
        kwargs = {"pk": report.pk, "attachment_id": attachment.pk}
        if run is not None:
            kwargs["run_id"] = run.pk
        url = reverse(f"reports:{name}", kwargs=kwargs)
        client.force_login(user)
        before = db_state(report_a)
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} as {user}"
        assert db_state(report_a) == before, f"{method.upper()} {url} as {user}"
    assert run_b.attachment_id == attachment_b.pk


def test_the_table_covers_every_url_of_the_portal(django_capture_on_commit_callbacks, town, clerk):
    """A new URL of the reports app must get its row in the matrix (and a policy)."""
    report, attachment, run = build_report(
        "draft", town=town, clerk=clerk, supervisor=None, capture=django_capture_on_commit_callbacks
    )
    covered = set()
    for kind, _a, _m, url, _d in url_table(report, attachment, run):
        if kind != "media_file":  # no view serves it: that is the point of the row
            covered.add(resolve(urlsplit(url).path).view_name)
    every = {f"reports:{p.name}" for p in reports_urls.urlpatterns}
    assert every - covered == set()
    assert {"admin:index", "admin:organs_organ_import"} <= covered
