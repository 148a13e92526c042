"""Every POST form any persona can see carries a CSRF token, and a post without one is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from filing import services
from filing.workflow import Status
from tests.support import pages
from tests.support.factories import make_report
from tests.support.render import TOWN_2023, corpus_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(town, clerk, django_capture_on_commit_callbacks):
    published = make_report(town, 2022, Status.PUBLISHED)
    submitted = make_report(town, 2023, Status.SUBMITTED)
    draft = make_report(town, 2024, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            data=corpus_bytes(TOWN_2023), original_name="a.txt", report=draft
        )
        run = services.parse_run_queue(attachment=attachment)
    return {
        "pk": [published.pk, submitted.pk, draft.pk],
        "slug": [town.slug],
        "year": [2022, 2023, 2024],
        "attachment_id": [attachment.pk],
        "run_id": [run.pk],
    }


def test_every_post_form_on_every_page_has_a_csrf_token(values, clerk, supervisor, portal_admin):
    portal_admin.is_staff = portal_admin.is_superuser = True
    portal_admin.save()
    checked: set[str] = set()
    for user in (None, clerk, supervisor, portal_admin):
        client = Client()
        if user is not None:
            client.force_login(user)
        targets = pages.urls(values) + [
            ("admin:index", reverse("admin:index")),
            ("admin:login", reverse("admin:login")),
            ("admin:organs_organ_add", reverse("admin:organs_organ_add")),
        ]
        for name, path in targets:
            if name.endswith(("_pdf", "_docx", "_xlsx")):
                continue
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            for form in pages.post_forms(response.content.decode()):
                assert 'name="csrfmiddlewaretoken"' in form, (user, name, path)
                checked.add(name)
    # Pages that surely have forms were seen, so the walk itself works.
    assert {"login", "reports:attachment_upload", "reports:report_edit"} <= checked


def test_a_post_without_the_token_is_refused(values, clerk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    draft_pk = values["pk"][2]
    for path in [
        reverse("reports:report_edit", kwargs={"pk": draft_pk}),
        reverse("reports:attachment_upload", kwargs={"pk": draft_pk}),
        reverse("login"),
    ]:
        assert client.post(path, {}).status_code == 403, path
