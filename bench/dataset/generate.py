"""Fill the database with organs × years reports, drawing in a process pool while writing."""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import time
from collections.abc import Iterator
from datetime import date
from typing import TextIO

from django.db import connections, transaction
from django.utils import timezone
from tqdm import tqdm

from bench.dataset.draw import Item, draw_chunk
from bench.dataset.organs import PREFIX, organ_tree, organs_create, users_create
from bench.dataset.write import Stats, analyze, batch_write, dataset_clear
from organs.models import Organ
from review.models import Deadline


@contextlib.contextmanager
def _drawn(chunks: list, workers: int) -> Iterator[Iterator[list[Item]]]:
    """Drawn batches in order, from a pool of forked processes when workers > 1."""
    if workers <= 1 or len(chunks) < 2:
        yield (draw_chunk(c) for c in chunks)
        return
    # Forked children must not share this process's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield pool.imap(draw_chunk, chunks)


def dataset_generate(
    *,
    organs: int,
    years: int,
    seed: int = 0,
    last_year: int | None = None,
    clear: bool = False,
    batch_organs: int = 50,
    error_rate: float = 0.07,
    workers: int = 1,
    progress: bool | None = None,
    progress_file: TextIO | None = None,
) -> Stats:
    """Fill the database with organs × years reports; return what was written and how long.

    With workers > 1 the figures, prose and checks are drawn in that many processes while
    this one writes; the result is the same for the same seed. ``progress`` None shows a
    bar (on ``progress_file``, default stderr) only when that is a terminal; False never.
    """
    started = time.perf_counter()
    if clear:
        dataset_clear()
    elif Organ.objects.filter(slug__startswith=PREFIX).exists():
        raise ValueError("generated data already present: pass clear=True (--clear)")
    last = last_year or timezone.localdate().year - 1
    first = last - years + 1
    tree = organ_tree(organs, random.Random(seed))
    stats = Stats(organs=len(tree))
    with transaction.atomic():
        organ_rows = organs_create(tree)
        publisher = users_create(organ_rows)
        Deadline.objects.bulk_create(
            [Deadline(organ=organ_rows[0], year=y, due_on=date(y + 1, 1, 31))
             for y in range(first, last + 1)]
        )  # fmt: skip
    organ_by_pk = {o.pk: o for o in organ_rows}
    chunks = [
        (tree[i : i + batch_organs], [o.pk for o in organ_rows[i : i + batch_organs]],
         seed, first, last, error_rate)
        for i in range(0, len(tree), batch_organs)
    ]  # fmt: skip
    bar = tqdm(
        total=len(tree) * years, desc="生成报告", unit="份", file=progress_file,
        disable=None if progress is None else not progress, dynamic_ncols=True,
    )  # fmt: skip
    with bar, _drawn(chunks, workers) as batches:
        for items in batches:
            for item in items:
                item.report.organ = organ_by_pk[item.report.organ_id]
            with transaction.atomic():
                batch_write(items, publisher, stats, last)
            bar.update(len(items))
            bar.set_postfix(cells=stats.figures, refresh=False)
    analyze()
    stats.seconds = round(time.perf_counter() - started, 1)
    return stats
