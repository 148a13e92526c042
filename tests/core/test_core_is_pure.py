"""The core imports and works with Django absent: no settings, no app registry."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
sys.modules["django"] = None  # any "import django..." now fails
import pkgutil, importlib, core
for module in pkgutil.walk_packages(core.__path__, "core."):
    importlib.import_module(module.name)
from core import checks, formats, layout
from core.figureset import empty_figures
from core.parsing import parse_bytes
figures = empty_figures(formats.EDITION_2021)
figures[formats.SECTION3]["一"] = [1, 0, 0, 0, 0, 0, 2]
codes = {f.code for f in checks.check_report(figures, formats.EDITION_2021)}
assert codes, "the row total 1 != 2 must be found"
assert layout.edition_cells(formats.EDITION_2021)
assert parse_bytes(b"not a report").error or True
print("pure")
"""


def test_every_core_module_imports_and_runs_without_django():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "pure"
