"""static/js/report-form.js run by node against the cells and data attributes the page renders."""

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from filing import services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]

SCRIPT = Path(settings.BASE_DIR) / "static" / "js" / "report-form.js"

# A stand-in for the few DOM calls the script makes; enough to run it outside a browser.
HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const spec = JSON.parse(fs.readFileSync(0, "utf8"));
function el(data, extra) {
  const classes = new Set();
  return Object.assign({
    dataset: data, value: "", title: "", textContent: "", className: "", listeners: [],
    classList: {
      toggle: (c, on) => (on ? classes.add(c) : classes.delete(c)),
      remove: (c) => classes.delete(c), add: (c) => classes.add(c),
      contains: (c) => classes.has(c),
    },
    addEventListener(type, fn) { this.listeners.push(fn); },
  }, extra);
}
const tables = spec.tables.map((t) => {
  const inputs = t.inputs.map((i) => el(i.data, { value: i.value || "" }));
  const outputs = t.outputs.map((o) => el(o.data));
  return el(t.data, {
    inputs, outputs,
    querySelectorAll: () => inputs,
    querySelector: (sel) => outputs.find((o) => sel.includes('"' + o.dataset.balanceCol + '"')),
  });
});
const all = tables.flatMap((t) => t.inputs);
const document = {
  readyState: "complete",
  querySelectorAll(sel) {
    if (sel.startsWith("table[data-grid] ")) return all;
    return tables.filter((t) => sel.includes('"' + t.dataset.grid + '"'));
  },
};
vm.runInNewContext(fs.readFileSync(spec.script, "utf8"), { document });
for (const [row, col, value] of spec.typed) {
  const input = all.find((i) => i.dataset.row === row && i.dataset.col === col);
  input.value = value;
  input.listeners.forEach((fn) => fn());
}
const out = { inputs: {}, mismatch: [], balance: {} };
for (const i of all) {
  if (i.value !== "") out.inputs[i.dataset.row + "|" + i.dataset.col] = i.value;
  if (i.classList.contains("total-mismatch")) out.mismatch.push(i.dataset.row + "|" + i.dataset.col);
}
for (const t of tables) for (const o of t.outputs) out.balance[o.dataset.balanceCol] = o.textContent;
console.log(JSON.stringify(out));
"""


def _dataset(attrs):
    """data-rows-results="..." -> {"rowsResults": "..."}, as the browser's dataset does."""
    result = {}
    for key, value in attrs:
        if key.startswith("data-"):
            head, *rest = key[5:].split("-")
            result[head + "".join(p.capitalize() for p in rest)] = value or ""
    return result


class GridReader(HTMLParser):
    """Collect the report grids, their inputs and balance outputs from the page."""

    def __init__(self):
        super().__init__()
        self.tables = []

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if tag == "table" and "data-grid" in attrs_d:
            self.tables.append({"data": _dataset(attrs), "inputs": [], "outputs": []})
        elif tag == "input" and "data-row" in attrs_d and self.tables:
            self.tables[-1]["inputs"].append(
                {"data": _dataset(attrs), "value": attrs_d.get("value") or ""}
            )
        elif tag == "output" and self.tables:
            self.tables[-1]["outputs"].append({"data": _dataset(attrs)})


def run_script(page: str, typed: list) -> dict:
    reader = GridReader()
    reader.feed(page)
    spec = {"tables": reader.tables, "script": str(SCRIPT), "typed": typed}
    done = subprocess.run(
        ["node", "-e", HARNESS], input=json.dumps(spec), capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def page(client, clerk, town):
    report = services.report_start(organ=town, year=2022, acting_user=clerk)
    client.force_login(clerk)
    return client.get(reverse("reports:report_edit", kwargs={"pk": report.pk})).content.decode()


def test_row_totals_and_the_results_total_fill_in_as_the_clerk_types(page):
    result = run_script(
        page,
        [["一", "自然人", "2"], ["一", "商业企业", "1"], ["三.一", "自然人", "2"]],
    )
    assert result["inputs"]["一|总计"] == "3"
    assert result["inputs"]["三.七|自然人"] == "2"
    assert result["inputs"]["三.七|总计"] == "2"


def test_balance_indicator_shows_each_column(page):
    result = run_script(
        page,
        [["一", "自然人", "2"], ["三.一", "自然人", "2"], ["一", "商业企业", "1"]],
    )
    assert result["balance"]["自然人"].startswith("✓")
    assert result["balance"]["商业企业"].startswith("✗")
    assert result["balance"]["科研机构"] == ""


def test_a_total_the_clerk_typed_is_kept_and_flagged(page):
    result = run_script(page, [["一", "总计", "9"], ["一", "自然人", "2"]])
    assert result["inputs"]["一|总计"] == "9"
    assert "一|总计" in result["mismatch"]


def test_section4_group_totals_add_up(page):
    result = run_script(page, [["行政复议", "结果维持", "1"], ["行政复议", "结果纠正", "2"]])
    assert result["inputs"]["行政复议|总计"] == "3"
    assert "复议后起诉|总计" not in result["inputs"]
