// Sales import progress: poll the run's status until it has finished, then reload the page.
(function () {
  "use strict";
  var state = document.getElementById("import-state");
  if (!state || state.dataset.finished === "1") return;
  var bar = document.getElementById("import-bar");
  function poll() {
    fetch(state.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      bar.style.width = data.percent + "%"; bar.textContent = data.percent + "%";
      state.textContent = data.status_label + " · " + data.rows_done + " / " + data.total_rows;
      if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
