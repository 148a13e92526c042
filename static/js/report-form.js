// Derived totals and the 勾稽 check on the report form, while the clerk types.
// Which cells are totals, and of what, comes from the server (core/derived.py) as JSON in
// #derived-cells: the same list the server uses to fill a blank total on save.
// A total that agrees with its parts (or is blank) is computed here and shown as computed;
// one the clerk typed differently is kept and explained in words beside the cell.
(function () {
  "use strict";

  // The page gives the words in the viewer's language (#form-messages); these are the
  // fallback when it does not.
  var MSG = {
    computed: "自动计算",
    expected: "按各项相加应为 %(value)s",
    balanceOk: "一+二 与 （七）+四 相等",
    balanceBad: "不相等：一+二 为 %(left)s，（七）+四 为 %(right)s"
  };

  function loadMessages() {
    var source = document.getElementById("form-messages");
    if (!source) return;
    var given = JSON.parse(source.textContent);
    Object.keys(given).forEach(function (key) { MSG[key] = given[key]; });
  }

  function say(template, params) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return params[name]; });
  }

  function all(root, selector) {
    return root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
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

  function note(input) {
    var cell = input.closest("td");
    var span = cell.querySelector(".cell-note");
    if (!span) {
      span = document.createElement("span");
      span.className = "cell-note";
      span.setAttribute("aria-live", "polite");
      span.id = input.id + "-note";
      cell.appendChild(span);
      input.setAttribute("aria-describedby", span.id);
    }
    return span;
  }

  // Sum of the parts typed so far (a hint only), or null when none holds a number.
  function partialSum(parts) {
    var total = null;
    parts.forEach(function (p) {
      var value = number(p);
      if (value !== null && !isNaN(value)) total = (total || 0) + value;
    });
    return total;
  }

  // Sum of the parts, or null unless every part holds a number (the server's rule).
  function sumOf(parts) {
    var total = 0;
    for (var i = 0; i < parts.length; i++) {
      var value = number(parts[i]);
      if (value === null || isNaN(value)) return null;
      total += value;
    }
    return total;
  }

  function updateTotal(entry) {
    var input = entry.input;
    var computed = sumOf(entry.parts);
    var typed = input.dataset.typed === "1";
    var span = note(input);
    if (!typed) {
      input.value = computed === null ? "" : show(computed);
      var partial = computed === null ? partialSum(entry.parts) : null;
      input.placeholder = partial === null ? "" : "Σ " + show(partial);
    }
    var mismatch = typed && computed !== null && number(input) !== computed;
    input.classList.toggle("is-computed", !typed && computed !== null);
    input.classList.toggle("total-mismatch", mismatch);
    input.closest("td").classList.toggle("has-note", mismatch);
    span.textContent = mismatch ? say(MSG.expected, { value: show(computed) }) : "";
    input.title = !typed && computed !== null ? MSG.computed : "";
    // The server's notes about this total (saved state): the note above speaks for the total
    // itself; its parts keep theirs only while the total still disagrees.
    entry.flags.forEach(function (flag) {
      flag.hidden = flag.closest("td") === input.closest("td") || !mismatch;
      colour(flag.closest("td"));
    });
  }

  // A cell keeps its flag colour while one of its notes is still shown.
  function colour(cell) {
    if (!cell.dataset.flag) {
      cell.dataset.flag = cell.classList.contains("flag-error") ? "flag-error" : "flag-warning";
    }
    var shown = all(cell, ".cell-flag").some(function (f) { return !f.hidden; });
    cell.classList.toggle(cell.dataset.flag, shown);
  }

  function balance(table, touched) {
    var data = table.dataset;
    function cell(row, col) {
      return table.querySelector('input[data-row="' + row + '"][data-col="' + col + '"]');
    }
    table.querySelectorAll("output[data-balance-col]").forEach(function (out) {
      var col = out.dataset.balanceCol;
      var inputs = [cell(data.rowNew, col), cell(data.rowCarriedIn, col),
        cell(data.rowResultsTotal, col), cell(data.rowCarriedOut, col)];
      var values = inputs.map(number);
      // Nothing to say before the clerk has typed in this column and its four cells hold numbers.
      var edited = inputs.some(function (i) { return i && touched.has(i); });
      var complete = values.every(function (v) { return v !== null && !isNaN(v); });
      if (!edited || !complete) {
        out.textContent = "";
        out.className = "balance";
        return;
      }
      var left = values[0] + values[1];
      var right = values[2] + values[3];
      var ok = Math.abs(left - right) < 1e-9;
      out.textContent = ok ? "✓" : "✗ " + say(MSG.balanceBad, { left: show(left), right: show(right) });
      out.className = "balance " + (ok ? "balance-ok" : "balance-bad");
      out.title = ok ? MSG.balanceOk : "";
    });
  }

  function init() {
    var source = document.getElementById("derived-cells");
    var form = document.querySelector("form.report-form");
    if (!source || !form) return;
    loadMessages();
    var byName = function (name) { return form.elements.namedItem(name); };
    var entries = JSON.parse(source.textContent).map(function (d) {
      return {
        input: byName(d.cell),
        parts: d.parts.map(byName).filter(Boolean),
        flags: all(form, '.cell-flag[data-total="' + d.cell + '"]')
      };
    }).filter(function (e) { return e.input && !e.input.disabled; });
    var touched = new Set();
    // A total the page arrived with counts as typed only if it disagrees with its parts.
    entries.forEach(function (e) {
      var computed = sumOf(e.parts);
      var value = number(e.input);
      e.input.dataset.typed = value !== null && value !== computed ? "1" : "0";
    });
    var update = function () {
      entries.forEach(updateTotal);
      form.querySelectorAll('table[data-grid="section3"]').forEach(function (t) { balance(t, touched); });
    };
    var totals = new Set(entries.map(function (e) { return e.input; }));
    form.querySelectorAll("table[data-grid] input").forEach(function (input) {
      input.addEventListener("input", function () {
        touched.add(input);
        // Typing into a total makes it the clerk's; clearing it hands it back to the sum.
        if (totals.has(input)) input.dataset.typed = input.value.trim() === "" ? "0" : "1";
        update();
      });
    });
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
