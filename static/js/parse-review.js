// The parse review page: show all cells or only those to check without a reload (the link
// works without JS through ?all=1), and per table tick or untick every conflicting cell.
(function () {
  "use strict";

  function init() {
    var box = document.querySelector(".review-cells");
    if (!box) return;
    document.querySelectorAll("[data-toggle-all]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var all = box.classList.toggle("show-all");
        link.textContent = all ? box.dataset.labelSome : box.dataset.labelAll;
        link.setAttribute("aria-pressed", all ? "true" : "false");
        link.setAttribute("href", all ? "?" : "?all=1");
        window.dispatchEvent(new Event("resize"));  // scroll cues re-measure the frames
      });
    });
    function ticks(table) {
      return document.querySelectorAll('input[type="checkbox"][name="cells"][data-table="' + table + '"]');
    }
    document.querySelectorAll("[data-keep-table]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        ticks(button.dataset.keepTable).forEach(function (box) { box.checked = false; });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
