"""XSS probes in every text a user or a file can put on a page never come back unescaped.

The probes go into prose, review comments, finding explanations, organ names, a file name
and the content of an uploaded report (section 一 prose and the organ in its title). Then
every page the URL conf has at test time is fetched as each persona: HTML must carry the
probes escaped, JSON must be served as JSON, CSV and other downloads never as HTML.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filing import services
from filing.models import Attachment, Finding, ParseRun
from filing.workflow import Status
from review import services as review_services
from tests.support import pages
from tests.support.factories import make_report
from tests.support.render import TOWN_2023, corpus_sample, corpus_text

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PROBES = (SCRIPT, IMG)
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
# Generated documents (LibreOffice) are not HTML and slow; their text is checked elsewhere.
BINARY_ROUTES = ("_pdf", "_docx", "_xlsx")


def probe_seed() -> str:
    """A corpus report with the probes in section 一 prose and in the organ name of its title."""
    name = corpus_sample(TOWN_2023).organ.name
    probed = name.replace("人民政府", f"{SCRIPT}人民政府")
    text = corpus_text(TOWN_2023).replace(name, probed, 2)
    assert probed in text
    return text.replace("一、总体情况\n", f"一、总体情况\n{IMG}{SCRIPT}\n", 1)


@pytest.fixture
def world(town, clerk, supervisor, portal_admin, django_capture_on_commit_callbacks):
    """A town named with probes; a published, a submitted and a draft report full of them."""
    town.name = f"晋江市紫帽镇{SCRIPT}人民政府"
    town.short_name = f"紫帽镇{IMG}"
    town.save()
    prose = {"overview": SCRIPT + IMG, "problems": IMG, "other_matters": SCRIPT}
    published = make_report(town, 2022, Status.PUBLISHED, **prose)
    submitted = make_report(town, 2023, Status.SUBMITTED, **prose)
    draft = make_report(town, 2024, Status.DRAFT, **prose)
    for report in (published, submitted, draft):
        Finding.objects.create(
            report=report,
            code="probe",
            severity=Finding.Severity.ERROR,
            message=f"核对 {SCRIPT}",
            explanation=IMG + SCRIPT,
        )
    review_services.comment_add(report=submitted, author=supervisor, body=IMG + SCRIPT)
    review_services.comment_add(report=draft, author=clerk, body=SCRIPT)
    client = Client()
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:attachment_upload", kwargs={"pk": draft.pk}),
            {"files": [SimpleUploadedFile("年报.txt", probe_seed().encode())]},
        )
    assert response.status_code == 302
    run = ParseRun.objects.get(attachment__report=draft)
    assert run.status == ParseRun.Status.DONE, run.message
    assert SCRIPT in run.extracted_text
    Attachment.objects.filter(pk=run.attachment_id).update(original_name=f"{IMG}{SCRIPT}.txt")
    for report in (published, submitted):
        attachment = services.attachment_add(
            data=probe_seed().encode(), original_name="x.txt", report=report
        )
        Attachment.objects.filter(pk=attachment.pk).update(original_name=f"{SCRIPT}.txt")
    return {
        "reports": (published, submitted, draft),
        "run": run,
        "values": {
            "pk": [published.pk, submitted.pk, draft.pk],
            "slug": [town.slug],
            "year": [2022, 2023, 2024],
            "attachment_id": list(Attachment.objects.values_list("pk", flat=True)),
            "run_id": [run.pk],
        },
        "personas": {"anonymous": None, "clerk": clerk, "supervisor": supervisor},
        "admin": portal_admin,
    }


def fetch_all(world, extra_query: str = ""):
    """Yield (persona, route, path, response) for every reachable page."""
    targets = pages.urls(world["values"])
    assert len(targets) > 20
    for persona, user in world["personas"].items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for name, path in targets:
            if name.endswith(BINARY_ROUTES):
                continue
            response = client.get(path + extra_query)
            yield persona, name, path, response


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def check(response, where) -> str | None:
    """Assert the response is safe; return its HTML when it is HTML."""
    assert response.status_code < 500, where
    if response.status_code != 200:
        return None
    content_type = response.get("Content-Type", "")
    text = body(response)
    if content_type.startswith("text/html"):
        for raw in RAW:
            assert raw not in text, (where, raw)
        return text
    # Anything else may carry the probe as data, but never as a page a browser renders.
    assert "html" not in content_type, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    return None


def test_probes_never_come_back_unescaped_on_any_page(world):
    escaped_on: set[str] = set()
    for persona, name, path, response in fetch_all(world):
        html = check(response, (persona, name, path))
        if html and any(e in html for e in ESCAPED):
            escaped_on.add(name)
    # The probes did reach the pages that show them (this test cannot pass vacuously).
    expected = {
        "reports:report_edit",
        "reports:attachment_list",
        "reports:parse_run_review",
        "reports:workspace",
    }
    optional = {"reports:review_detail", "reports:report_detail", "reports:report_list"}
    assert expected <= escaped_on, expected - escaped_on
    present = {r.name for r in pages.routes()}
    assert (optional & present) <= escaped_on, (optional & present) - escaped_on


def test_probes_in_query_strings_are_not_reflected_unescaped(world):
    query = (
        "?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&organ=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"
    )
    for persona, name, path, response in fetch_all(world, query):
        check(response, (persona, name, path, "query"))


def test_json_carries_the_probe_as_data_not_markup(world):
    present = {r.name for r in pages.routes()}
    names = [
        n
        for n in ("reports:api_report", "reports:report_figures_json", "reports:api_organ")
        if n in present
    ]
    if not names:
        pytest.skip("no JSON endpoints yet")
    client = Client()
    for name in names:
        kwargs = (
            {"slug": "zimao", "year": 2022} if "report" in name.split(":")[1] else {"slug": "zimao"}
        )
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 200:
            continue
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        response.json()  # parses: the probe is a string inside, not markup around it


def test_the_admin_escapes_the_probes_too(world, client):
    admin = world["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    published, submitted, draft = world["reports"]
    for path in [
        reverse("admin:organs_organ_changelist"),
        reverse("admin:filing_annualreport_changelist"),
        reverse("admin:filing_annualreport_change", args=[draft.pk]),
        reverse("admin:filing_attachment_changelist"),
    ]:
        html = check(client.get(path), path)
        assert html is not None, path
