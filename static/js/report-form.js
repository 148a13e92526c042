// Live totals and the 勾稽 check on the report form. The server recomputes on save and is
// the authority; this only helps the clerk see mistakes while typing.
(function () {
  "use strict";

  function words(text) {
    return (text || "").split(" ").filter(Boolean);
  }

  function number(input) {
    var text = (input && input.value || "").trim();
    if (text === "") return null;
    var value = Number(text);
    return isFinite(value) ? value : NaN;
  }

  function show(value) {
    return String(Math.round(value * 100) / 100);
  }

  // Sum of the inputs; null when all are blank, NaN when one is not a number.
  function sum(inputs) {
    var total = null;
    inputs.forEach(function (input) {
      var value = number(input);
      if (value === null) return;
      total = (total === null ? 0 : total) + value;
    });
    return total;
  }

  // Fill a total cell unless the clerk typed their own figure there; flag a disagreement.
  function setTotal(input, computed) {
    if (!input) return;
    var auto = input.dataset.auto;
    if (computed === null || isNaN(computed)) {
      input.classList.remove("total-mismatch");
      return;
    }
    if (input.value.trim() === "" || input.value === auto) {
      input.value = show(computed);
      input.dataset.auto = input.value;
    }
    var mismatch = number(input) !== computed;
    input.classList.toggle("total-mismatch", mismatch);
    input.title = mismatch ? "按各项相加应为 " + show(computed) : "";
  }

  function cellFinder(table) {
    var cells = {};
    table.querySelectorAll("input[data-row]").forEach(function (input) {
      cells[input.dataset.row + "|" + input.dataset.col] = input;
    });
    return function (row, col) {
      return cells[row + "|" + col];
    };
  }

  function section3(table) {
    var cell = cellFinder(table);
    var data = table.dataset;
    var cols = words(data.cols);
    var parts = words(data.parts);
    var results = words(data.rowsResults);
    var rows = [data.rowNew, data.rowCarriedIn].concat(results, [data.rowResultsTotal, data.rowCarriedOut]);
    return function () {
      // (七) 总计 per applicant column first, then every row's 总计, then the balance.
      parts.forEach(function (col) {
        setTotal(cell(data.rowResultsTotal, col), sum(results.map(function (r) { return cell(r, col); })));
      });
      rows.forEach(function (row) {
        setTotal(cell(row, data.total), sum(parts.map(function (col) { return cell(row, col); })));
      });
      cols.forEach(function (col) {
        var out = table.querySelector('output[data-balance-col="' + col + '"]');
        if (!out) return;
        var left = sum([cell(data.rowNew, col), cell(data.rowCarriedIn, col)]);
        var right = sum([cell(data.rowResultsTotal, col), cell(data.rowCarriedOut, col)]);
        if (left === null && right === null) {
          out.textContent = "";
          out.className = "balance";
          return;
        }
        var ok = left === right;
        out.textContent = (ok ? "✓ " : "✗ ") + show(left || 0) + " / " + show(right || 0);
        out.className = "balance " + (ok ? "balance-ok" : "balance-bad");
        out.title = ok ? "一+二 与 （七）+四 相等" : "一+二 与 （七）+四 不相等";
      });
    };
  }

  function section4(table) {
    var cell = cellFinder(table);
    var data = table.dataset;
    return function () {
      words(data.groups).forEach(function (group) {
        setTotal(cell(group, data.total), sum(words(data.parts).map(function (c) { return cell(group, c); })));
      });
    };
  }

  function init() {
    var updaters = [];
    document.querySelectorAll('table[data-grid="section3"]').forEach(function (t) { updaters.push(section3(t)); });
    document.querySelectorAll('table[data-grid="section4"]').forEach(function (t) { updaters.push(section4(t)); });
    if (!updaters.length) return;
    // Totals the page arrived with count as typed by the clerk, so they are never replaced.
    var update = function () { updaters.forEach(function (u) { u(); }); };
    document.querySelectorAll("table[data-grid] input").forEach(function (input) {
      input.addEventListener("input", update);
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
