"""Fill the database with organs × years reports, drawing in a process pool while writing."""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import random
import resource
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import TextIO

from django.db import connections, transaction
from django.utils import timezone
from tqdm import tqdm

from bench.dataset.draw import Item, draw_chunk
from bench.dataset.organs import PREFIX, organ_tree, organs_create, users_create
from bench.dataset.write import Stats, analyze, batch_write, dataset_clear, foreign_keys_verify
from organs.models import Organ
from public.sums import region_sums_rebuild
from review.models import Deadline
from review.standing import standing_rebuild

AHEAD = 2  # drawn batches waiting per worker: enough to keep the writer busy, bounded


@contextlib.contextmanager
def _drawn(chunks: list, workers: int) -> Iterator[Iterator[list[Item]]]:
    """Drawn batches in order, from a pool of forked processes when workers > 1.

    At most AHEAD batches per worker are drawn and not yet written, so memory stays bounded
    whatever the number of organs (Pool.imap would run ahead of a slower writer).
    """
    if workers <= 1 or len(chunks) < 2:
        yield (draw_chunk(c) for c in chunks)
        return
    # Forked children must not share this process's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        yield _windowed(
            lambda chunk: pool.apply_async(draw_chunk, (chunk,)), chunks, AHEAD * workers
        )


def _windowed(submit: Callable, chunks: list, window: int) -> Iterator:
    """The results of submit(chunk).get() in order, with at most ``window`` submitted ahead."""
    waiting: collections.deque = collections.deque()
    for chunk in chunks:
        waiting.append(submit(chunk))
        if len(waiting) >= window:
            yield waiting.popleft().get()
    while waiting:
        yield waiting.popleft().get()


def _peak_rss_mb(who: int) -> int:
    """Peak resident memory in MB of this process (RUSAGE_SELF) or its ended children."""
    return resource.getrusage(who).ru_maxrss // 1024  # kB on Linux


class _Lines:
    """Progress as plain lines (for a log file), at most one every ``every`` seconds."""

    def __init__(self, out: TextIO | None, total: int, every: float = 10.0):
        self.out, self.total, self.every = out, total, every
        self.started = self.last = time.perf_counter()

    def __call__(self, done: int, stats: Stats, force: bool = False) -> None:
        now = time.perf_counter()
        if self.out is None or (now - self.last < self.every and not force):
            return
        self.last, elapsed = now, now - self.started
        rate = done / elapsed if elapsed else 0.0
        left = (self.total - done) / rate if rate else 0.0
        self.out.write(
            f"{done}/{self.total} reports ({100 * done / self.total:.1f}%), "
            f"{stats.figures + stats.published_figures} cells, {elapsed:.0f} s, "
            f"{rate:.1f} reports/s, ~{left:.0f} s left, peak RSS {_peak_rss_mb(resource.RUSAGE_SELF)} MB\n"
        )
        self.out.flush()


def _progress_line(out: TextIO | None) -> Callable[[str], None] | None:
    if out is None:
        return None

    def line(text: str) -> None:
        out.write(f"region sums: {text}\n")
        out.flush()

    return line


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
    progress_lines: TextIO | None = None,
) -> Stats:
    """Fill the database with organs × years reports; return what was written and how long.

    With workers > 1 the figures, prose and checks are drawn in that many processes while
    this one writes; the result is the same for the same seed. ``progress`` None shows a
    bar (on ``progress_file``, default stderr) only when that is a terminal; False never.
    ``progress_lines`` gets a plain line every ten seconds (for a log).
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
    lines = _Lines(progress_lines, len(tree) * years)
    with bar, _drawn(chunks, workers) as batches:
        for items in batches:
            for item in items:
                item.report.organ = organ_by_pk[item.report.organ_id]
            with transaction.atomic():
                batch_write(items, publisher, stats, last)
            bar.update(len(items))
            bar.set_postfix(cells=stats.figures, refresh=False)
            lines(stats.reports, stats)
    lines(stats.reports, stats, force=True)
    if stats.unchecked_keys:
        foreign_keys_verify()
    # Publications were written in bulk, not through report_publish: sum them once, set-based.
    region_sums_rebuild(progress=_progress_line(progress_lines))
    standing_rebuild()  # the compliance counts, likewise (review/standing.py)
    analyze()
    stats.seconds = round(time.perf_counter() - started, 1)
    stats.peak_rss_mb = _peak_rss_mb(resource.RUSAGE_SELF)
    stats.peak_worker_rss_mb = _peak_rss_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0
    return stats
