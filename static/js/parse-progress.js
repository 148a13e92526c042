// Polls the status of attachments still being parsed and reloads once each has finished.
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  var GIVE_UP_MS = 15 * 60 * 1000;
  var started = Date.now();

  function poll(row) {
    var url = row.getAttribute("data-status-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        var cell = row.querySelector("[data-role=status]");
        if (cell && data.label) { cell.textContent = data.label; }
        if (data.status === "done" || data.status === "failed") {
          window.location.reload();
        } else if (Date.now() - started < GIVE_UP_MS) {
          window.setTimeout(function () { poll(row); }, INTERVAL_MS);
        }
      })
      .catch(function () {
        // The "刷新" link still works; stop polling rather than hammer a failing server.
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelectorAll("tr[data-status-url]");
    Array.prototype.forEach.call(rows, function (row) {
      window.setTimeout(function () { poll(row); }, INTERVAL_MS);
    });
  });
})();
