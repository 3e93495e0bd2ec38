// Refreshes the live figures on the status page every five seconds. The page works without it.
(function () {
  "use strict";
  function refresh() {
    fetch("/status.json", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (figures) {
        if (!figures) { return; }
        document.querySelectorAll("[data-live]").forEach(function (element) {
          var value = figures[element.getAttribute("data-live")];
          if (typeof value === "number") { element.textContent = String(value); }
        });
        var badge = document.getElementById("exception-count");
        if (badge && typeof figures.error === "number") { badge.textContent = String(figures.error + figures.needs_review); }
      })
      .catch(function () { /* the next refresh tries again */ });
  }
  setInterval(refresh, 5000);
})();
