"""Demo data for a fresh install: the corpus region, its people and a year of real use.

``load_demo_data`` builds it (``manage.py demo_data``, run by ``scripts/run``); the login page
lists ``DEMO_ACCOUNTS`` on development servers.
"""

from __future__ import annotations

from django.db import connection, transaction

from bench.demo.accounts import DEMO_ACCOUNTS, DemoAccount, load_accounts, load_organs
from bench.demo.build import build
from bench.demo.pipeline import NoWorker, worker_check
from bench.demo.seeds import load_seed_reports, seeds_dir

__all__ = [
    "DEMO_ACCOUNTS",
    "DemoAccount",
    "NoWorker",
    "load_accounts",
    "load_demo_data",
    "load_organs",
    "load_seed_reports",
    "seeds_dir",
]


def _quiet(items, label):
    return items


def load_demo_data(progress=_quiet) -> dict:
    """Everything a fresh install shows; safe to run again (what exists is left as it is).

    ``progress(items, label)`` wraps each long loop (the command passes a progress bar).
    Raises NoWorker at once when a broker is configured and no worker answers.
    """
    worker_check()
    if connection.vendor == "sqlite":
        # Thousands of small commits: without an fsync each, the build is CPU-bound (this
        # connection only; a crash mid-build loses the demo, which is rebuilt by running again).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        load_organs()
        load_accounts()
    # Outside a transaction, so each upload's parse task is sent as soon as it is queued.
    summary = build(progress)
    summary["seeds"] = len(load_seed_reports())
    return summary
