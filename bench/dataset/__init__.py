"""A synthetic province of reports for benchmarks: organs × years, figures, prose, publications.

organs.py draws the organ tree and each organ's profile; draw.py every year of an organ
(figures from bench.corpus, the project's one sample generator; prose; checks); write.py
writes batches in bulk; generate.py runs it all (``manage.py generate_dataset``).
"""

from bench.dataset.generate import dataset_generate
from bench.dataset.organs import PASSWORD, PREFIX, organ_tree
from bench.dataset.write import Stats, dataset_clear

__all__ = ["PASSWORD", "PREFIX", "Stats", "dataset_clear", "dataset_generate", "organ_tree"]
