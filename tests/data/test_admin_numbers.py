"""The admin shows counts of applications as whole numbers, not 0.00."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core import formats
from filing.models import AnnualReport, Figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def figure(town):
    report = AnnualReport.objects.create(organ=town, year=2023, edition=formats.EDITION_2021)
    return Figure.objects.create(
        report=report, table=formats.SECTION3, row="一", column=formats.TOTAL_COLUMN,
        value=Decimal("12.00"),
    )  # fmt: skip


def test_the_figure_list_and_form_show_whole_numbers_without_decimals(admin_client, figure):
    listing = admin_client.get(reverse("admin:filing_figure_changelist")).content.decode()
    assert 'class="field-value_plain">12<' in listing
    form = admin_client.get(reverse("admin:filing_figure_change", args=[figure.pk]))
    assert 'value="12"' in form.content.decode()


def test_a_fraction_keeps_its_decimals(admin_client, figure):
    Figure.objects.filter(pk=figure.pk).update(value=Decimal("2.50"))
    listing = admin_client.get(reverse("admin:filing_figure_changelist")).content.decode()
    assert 'class="field-value_plain">2.5<' in listing


def test_the_report_page_lists_its_figures_as_whole_numbers(admin_client, figure):
    page = admin_client.get(reverse("admin:filing_annualreport_change", args=[figure.report_id]))
    html = page.content.decode()
    assert 'name="figures-0-value" value="12"' in html
    assert "12.00" not in html
