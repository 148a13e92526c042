"""What the mix's hit ratio is made of, and what a publication leaves cached."""

from __future__ import annotations

from bench.mix import hits_by_kind, surviving


def test_hits_are_counted_per_page_kind():
    walked = [("report", "/r/a/"), ("list", "/l?x"), ("report", "/r/a/"), ("list", "/l?y")]
    assert hits_by_kind(walked, {"/l?y"}) == {"list": 0.5, "report": 0.5}


def test_a_publication_leaves_only_other_organs_report_and_organ_pages():
    served = {
        ("report", "/reports/jia/2023/"),
        ("organ", "/organs/jia/"),
        ("report", "/reports/yi/2023/"),
        ("organ", "/organs/yi/"),
        ("list", "/reports/?year=2023"),
        ("api", "/api/reports/"),
    }
    assert surviving(served, "yi") == {"/reports/jia/2023/", "/organs/jia/"}
