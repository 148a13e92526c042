"""Text files split into lines and cells without losing empty cells or provenance."""

from core.parsing.extract import extract
from core.parsing.text import split_lines
from tests.support.render import TOWN_2023, corpus_text, seed_text


def test_section_four_row_of_seed_004_keeps_its_fifteen_cells_with_five_empty():
    document = extract(seed_text("004").encode())
    rows = [line.cells for line in document.lines if line.cells[5:10] == ["0", "2", "0", "0", "2"]]
    assert rows == [["", "", "", "", "", "0", "2", "0", "0", "2", "0", "0", "0", "0", "0"]]


def test_tab_splitting_keeps_empty_and_trailing_cells():
    lines = split_lines("a\t\tb\t\n\t\t0")
    assert [line.cells for line in lines] == [["a", "", "b", ""], ["", "", "0"]]
    assert all(line.table is None for line in lines)


def test_line_numbers_point_at_the_real_lines_of_the_file():
    text = corpus_text(TOWN_2023, "tabbed")
    raw = text.split("\n")
    document = extract(text.encode())
    assert len(document.lines) > 60
    for line in document.lines:
        source = raw[line.number - 1]
        expected = [c.strip() for c in source.split("\t")] if "\t" in source else [source.strip()]
        assert line.cells == expected


def test_pipe_tables_become_cells_and_blank_lines_start_a_new_table():
    document = extract(seed_text("003").encode())
    by_table: dict[int, list[list[str]]] = {}
    for line in document.lines:
        if line.table is not None:
            by_table.setdefault(line.table, []).append(line.cells)
    # 二 is one table; 三 is cut into three by page breaks; 四 is the last one.
    assert len(by_table) == 5
    assert [len(rows[0]) for rows in by_table.values()] == [4, 8, 10, 9, 15]
    assert not any(set("".join(row)) <= set("-|: ") and "".join(row) for r in by_table.values()
                   for row in r)  # fmt: skip
    assert ["(六) 其他处理", "0", "0", "0", "0", "0", "0", "0", "", ""] in by_table[2]


def test_pipe_cells_are_stripped_and_empty_pipe_cells_kept():
    lines = split_lines("| a |  | b |\n|---|---|---|\n| 1 | 2 |  |\n\n| x |")
    assert [(line.cells, line.table) for line in lines] == [
        (["a", "", "b"], 0),
        (["1", "2", ""], 0),
        (["x"], 1),
    ]


def test_separator_junk_lines_are_dropped():
    lines = split_lines("行政事业性收费\t0\n---------\t---\n三、收到")
    assert [line.cells for line in lines] == [["行政事业性收费", "0"], ["三、收到"]]


def test_markdown_marks_stay_for_the_reader():
    document = extract(seed_text("001").encode())
    texts = [line.text for line in document.lines]
    assert "## 一、总体情况" in texts
    assert any(text.startswith("**（一）主动公开信息。**") for text in texts)


def test_control_characters_and_nuls_are_removed_and_newlines_normalised():
    text = corpus_text(TOWN_2023, "tabbed")
    assert "规章\t0\t0\t0\n" in text
    body = text.replace("\n", "\r\n").replace("规章", "规\x00章\x07")
    document = extract(body.encode())
    assert ["规章", "0", "0", "0"] in [line.cells for line in document.lines]
    assert "\x00" not in document.text and "\r" not in document.text
