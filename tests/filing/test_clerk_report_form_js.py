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
function classes() {
  const set = new Set();
  return {
    toggle: (c, on) => (on ? set.add(c) : set.delete(c)),
    remove: (c) => set.delete(c), add: (c) => set.add(c), contains: (c) => set.has(c),
  };
}
function el(data, extra) {
  return Object.assign({
    dataset: data, value: "", title: "", textContent: "", className: "", placeholder: "",
    listeners: [], attrs: {}, children: [], classList: classes(),
    addEventListener(type, fn) { this.listeners.push(fn); },
    setAttribute(k, v) { this.attrs[k] = v; },
    appendChild(child) { this.children.push(child); },
    querySelector(sel) { return this.children.find((c) => sel === "." + c.className) || null; },
  }, extra);
}
const tables = spec.tables.map((t) => {
  const inputs = t.inputs.map((i) => {
    const td = el({});
    return el(i.data, { value: i.value || "", name: i.name, id: i.id, disabled: false, closest: () => td });
  });
  const outputs = t.outputs.map((o) => el(o.data));
  return el(t.data, {
    inputs, outputs,
    querySelectorAll: () => outputs,
    querySelector(sel) {
      const m = sel.match(/data-row="([^"]*)"\]\[data-col="([^"]*)"/);
      return inputs.find((i) => i.dataset.row === m[1] && i.dataset.col === m[2]) || null;
    },
  });
});
const all = tables.flatMap((t) => t.inputs);
const form = {
  elements: { namedItem: (name) => all.find((i) => i.name === name) || null },
  querySelectorAll(sel) {
    if (sel.startsWith("table[data-grid] ")) return all;
    return tables.filter((t) => sel.includes('"' + t.dataset.grid + '"'));
  },
};
const document = {
  readyState: "complete",
  getElementById: (id) =>
    id === "derived-cells" ? { textContent: spec.derived }
      : id === "form-messages" && spec.messages ? { textContent: spec.messages } : null,
  querySelector: (sel) => (sel === "form.report-form" ? form : null),
  createElement: () => el({}),
};
vm.runInNewContext(fs.readFileSync(spec.script, "utf8"), { document, Set });
for (const [row, col, value] of spec.typed) {
  const input = all.find((i) => i.dataset.row === row && i.dataset.col === col);
  input.value = value;
  input.listeners.forEach((fn) => fn());
}
const out = { inputs: {}, mismatch: [], computed: [], notes: {}, placeholders: {}, balance: {} };
for (const i of all) {
  const key = i.dataset.row + "|" + i.dataset.col;
  if (i.value !== "") out.inputs[key] = i.value;
  if (i.placeholder) out.placeholders[key] = i.placeholder;
  if (i.classList.contains("total-mismatch")) out.mismatch.push(key);
  if (i.classList.contains("is-computed")) out.computed.push(key);
  const note = i.closest("td").children.find((c) => c.className === "cell-note");
  if (note && note.textContent) out.notes[key] = note.textContent;
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
        self.derived = None
        self.messages = None
        self._in_script = None

    def handle_data(self, data):
        if self._in_script:
            setattr(self, self._in_script, data)
            self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if tag == "script" and attrs_d.get("id") == "derived-cells":
            self._in_script = "derived"
        elif tag == "script" and attrs_d.get("id") == "form-messages":
            self._in_script = "messages"
        elif tag == "table" and "data-grid" in attrs_d:
            self.tables.append({"data": _dataset(attrs), "inputs": [], "outputs": []})
        elif tag == "input" and "data-row" in attrs_d and self.tables:
            self.tables[-1]["inputs"].append(
                {
                    "data": _dataset(attrs),
                    "value": attrs_d.get("value") or "",
                    "name": attrs_d.get("name"),
                    "id": attrs_d.get("id"),
                }
            )
        elif tag == "output" and self.tables:
            self.tables[-1]["outputs"].append({"data": _dataset(attrs)})


def run_script(page: str, typed: list) -> dict:
    reader = GridReader()
    reader.feed(page)
    assert reader.derived, "the page carries the derived cells as JSON (#derived-cells)"
    spec = {
        "tables": reader.tables,
        "derived": reader.derived,
        "messages": reader.messages,
        "script": str(SCRIPT),
        "typed": typed,
    }
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


APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def whole_row(row, values):
    return [[row, column, str(v)] for column, v in zip(APPLICANTS, values, strict=True)]


def test_a_total_is_computed_once_all_its_parts_hold_numbers(page):
    partial = run_script(page, [["一", "自然人", "2"], ["一", "商业企业", "1"]])
    assert "一|总计" not in partial["inputs"]
    assert partial["placeholders"]["一|总计"] == "Σ 3"
    result = run_script(page, whole_row("一", [2, 1, 0, 0, 0, 4]))
    assert result["inputs"]["一|总计"] == "7"
    assert "一|总计" in result["computed"]
    assert result["mismatch"] == []


def test_a_computed_total_keeps_recomputing_when_a_part_changes(page):
    typed = whole_row("一", [2, 1, 0, 0, 0, 4]) + [["一", "自然人", "5"]]
    result = run_script(page, typed)
    assert result["inputs"]["一|总计"] == "10"


def test_a_total_the_clerk_typed_is_kept_and_explained_in_words(page):
    result = run_script(page, [["一", "总计", "9"], *whole_row("一", [2, 0, 0, 0, 0, 0])])
    assert result["inputs"]["一|总计"] == "9"
    assert "一|总计" in result["mismatch"]
    assert result["notes"]["一|总计"] == "按各项相加应为 2"


def test_an_empty_form_shows_no_marks_before_anything_is_typed(page):
    result = run_script(page, [])
    assert set(result["balance"].values()) == {""}
    assert result["mismatch"] == [] and result["notes"] == {}


def test_balance_shows_once_a_columns_four_cells_hold_numbers(page):
    typed = [["一", "自然人", "2"], ["二", "自然人", "0"], ["三.七", "总计", ""]]
    typed += [["三.七", "自然人", "2"], ["四", "自然人", "0"]]
    result = run_script(page, typed + [["一", "商业企业", "1"]])
    assert result["balance"]["自然人"] == "✓"
    assert result["balance"]["商业企业"] == ""


def test_section4_group_totals_add_up(page):
    typed = [
        ["行政复议", c, v]
        for c, v in zip(["结果维持", "结果纠正", "其他结果", "尚未审结"], "1200", strict=True)
    ]
    result = run_script(page, typed)
    assert result["inputs"]["行政复议|总计"] == "3"
    assert "复议后起诉|总计" not in result["inputs"]
