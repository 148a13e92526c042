"""Requirements: what production runs apart from the tools, every version pinned, nothing unused."""

import ast
import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
RUNNING_CODE = ("core", "organs", "filing", "review", "public", "data", "portal")
DEV_TOOLS = {
    "pytest",
    "pytest-django",
    "hypothesis",
    "playwright",
    "ruff",
    "import-linter",
    "locust",
}


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r ")):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([\w.\-+]+)", line)
        assert match, f"{name}: not pinned: {line!r}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _third_party_imports() -> set[str]:
    """Top-level modules the running portal imports, outside the standard library and itself."""
    local = {*RUNNING_CODE, "bench", "reports", "tests"}
    found = set()
    for package in RUNNING_CODE:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {name for name in found - local if name not in __import__("sys").stdlib_module_names}


def test_every_requirement_is_pinned_and_the_dev_file_builds_on_the_runtime_one():
    runtime, dev = _pins("requirements.txt"), _pins("requirements-dev.txt")
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    assert not set(runtime) & set(dev), "a package is listed twice"
    assert DEV_TOOLS <= set(dev)


def test_the_runtime_requirements_hold_no_test_or_development_tool():
    runtime = _pins("requirements.txt")
    assert not DEV_TOOLS & set(runtime)
    assert "beautifulsoup4" not in runtime  # never imported


def test_every_package_the_portal_imports_is_a_runtime_requirement():
    runtime = _pins("requirements.txt")
    distributions = metadata.packages_distributions()
    missing = {}
    for module in _third_party_imports():
        names = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not names & set(runtime):
            missing[module] = sorted(names)
    assert not missing, f"imported by the portal but not in requirements.txt: {missing}"


def test_the_requirements_hold_every_dependency_of_what_they_list():
    """Installed with --no-deps, so the files must name the whole tree themselves."""
    pinned = {**_pins("requirements.txt"), **_pins("requirements-dev.txt")}
    # rapidocr-onnxruntime asks for the desktop OpenCV; the headless build stands in for it.
    stand_ins = {"opencv-python": "opencv-python-headless"}
    missing = set()
    for name in pinned:
        for line in metadata.distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue  # another platform's, or an extra nobody asked for
            wanted = requirement.name.lower().replace("_", "-")
            wanted = stand_ins.get(wanted, wanted)
            if wanted not in pinned:
                missing.add((name, wanted))
    assert not missing


def test_the_docker_image_installs_the_runtime_requirements_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-deps -r requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile
