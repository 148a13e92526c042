"""SVG charts: well-formed, labelled for screen readers, no inline styles, values to scale."""

import xml.etree.ElementTree as ET

import pytest

from public.charts import Series, bar_chart, line_chart, nice_ceiling

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def chart(kind, series, labels=("2021", "2022", "2023")):
    return parse(
        kind(
            chart_id="c1",
            title="收到申请 <数>",
            description="各年度 & 合计",
            labels=list(labels),
            series=series,
        )
    )


@pytest.mark.parametrize("kind", [bar_chart, line_chart])
def test_charts_name_themselves_for_screen_readers(kind):
    svg = chart(kind, [Series("收到", [1, 2, 3])])
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert ids == ["c1-title", "c1-desc"]
    title = svg.find("svg:title", NS)
    desc = svg.find("svg:desc", NS)
    assert (title.get("id"), title.text) == ("c1-title", "收到申请 <数>")
    assert (desc.get("id"), desc.text) == ("c1-desc", "各年度 & 合计")


@pytest.mark.parametrize("kind", [bar_chart, line_chart])
def test_charts_use_no_style_attributes(kind):
    markup = str(kind(chart_id="c", title="t", description="d", labels=["a"], series=[]))
    svg = parse(markup)
    assert all("style" not in el.attrib for el in svg.iter())
    assert "<script" not in markup and "http://" not in markup.replace(NS["svg"], "")


def test_bars_are_to_scale_and_blank_values_are_skipped():
    svg = chart(bar_chart, [Series("a", [5, None, 10]), Series("b", [0, 2, 1])])
    bars = svg.findall(".//svg:rect[@class]", NS)
    bars = [b for b in bars if "bar" in b.get("class").split()]
    heights = {b.find("svg:title", NS).text: float(b.get("height")) for b in bars}
    assert "a 2022: 0" not in heights and len(bars) == 5
    assert heights["a 2023: 10"] == pytest.approx(2 * heights["a 2021: 5"])
    assert heights["b 2021: 0"] == 0
    # Every series in the legend, coloured like its bars.
    legend = svg.find(".//svg:g[@class='chart-legend']", NS)
    assert [t.text for t in legend.findall("svg:text", NS)] == ["a", "b"]


def test_series_names_are_escaped():
    markup = str(
        bar_chart(
            chart_id='x"y',
            title="t",
            description="d",
            labels=["<2023>"],
            series=[Series("<script>alert(1)</script>", [1])],
        )
    )
    assert "<script>" not in markup
    parse(markup)  # still well-formed


def test_a_blank_value_breaks_the_line():
    svg = chart(line_chart, [Series("a", [1, None, 3])], labels=("2020", "2021", "2022"))
    assert svg.findall(".//svg:polyline", NS) == []  # two single points, no segment
    assert len(svg.findall(".//svg:circle", NS)) == 2
    joined = chart(line_chart, [Series("a", [1, 2, 3])])
    (line,) = joined.findall(".//svg:polyline", NS)
    assert len(line.get("points").split()) == 3


@pytest.mark.parametrize(
    "value, expected",
    [(0, (1, 1)), (3, (3, 1)), (13, (15, 5)), (100, (100, 50)), (0.5, (0.6, 0.2))],
)
def test_axis_maximum_is_a_round_number_at_or_above_the_data(value, expected):
    top, step = nice_ceiling(value)
    assert top == pytest.approx(expected[0]) and step == pytest.approx(expected[1])


def test_legend_entries_leave_room_for_their_names():
    def legend(names):
        svg = chart(bar_chart, [Series(n, [1, 1, 1]) for n in names])
        group = svg.find(".//svg:g[@class='chart-legend']", NS)
        return [(float(r.get("x")), r.get("y")) for r in group.findall("svg:rect", NS)]

    long_names = ["行政诉讼（未经复议直接起诉＋复议后起诉）·总计"] * 3
    assert len({y for _x, y in legend(long_names)}) == 3  # one a row
    entries = legend(["一、本年新收政府信息公开申请数量", "（七）总计", "2023"])
    same_row = [x for x, y in entries if y == entries[0][1]]
    assert len(same_row) >= 2
    assert same_row[1] - same_row[0] >= 18 + 12 * len("一、本年新收政府信息公开申请数量")
    assert len({y for _x, y in legend(["2022", "2023", "2024"])}) == 1
