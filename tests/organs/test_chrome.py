"""{% constant %}: the page frame's fixed markup rendered once per language, never data."""

from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

SOURCE = "{% load chrome i18n %}{% constant %}{% translate '报告' %}|{{ secret }}|{% url 'reports:report_list' %}{% endconstant %}"


def test_renders_once_per_language_and_never_the_context():
    template = Template(SOURCE)
    with override("zh-hans"):
        first = template.render(Context({"secret": "A's data"}))
        again = template.render(Context({"secret": "B's data"}))
    with override("en"):
        english = template.render(Context({"secret": "C's data"}))
    assert first == again == "报告||/reports/"
    assert english == "Reports||/reports/"


def test_page_frame_follows_the_language_and_the_visitor(client: Client, django_user_model):
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/reports/">报告</a>' in chinese and "跳到正文" in chinese
    assert '<a href="/reports/">Reports</a>' in english and "Skip to main content" in english
    assert 'href="/accounts/login/"' in chinese
    user = django_user_model.objects.create_user("frame-visitor", password="pw-frame-1")
    client.force_login(user)
    signed_in = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'href="/accounts/login/"' not in signed_in and "退出" in signed_in


def test_language_links_name_the_current_language_and_come_back_to_the_page(client: Client, db):
    page = client.get("/reports/?year=2023&q=a b", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<strong lang="en" aria-current="true">English</strong>' in page
    switch = reverse("reports:language_switch", args=["zh-hans"])
    assert (
        f'<a href="{switch}?next=/reports/%3Fyear%3D2023%26q%3Da%2520b" lang="zh-hans" '
        'hreflang="zh-hans">简体中文</a>'
    ) in page
