// A counter under every long text of the desk's forms (issue 15). The forms never set the
// browser's maxlength (it silently drops what is pasted past the limit); they say the limit in
// data-maxlength, and the server refuses a longer text with a message naming the limit.
// The counter turns red past the limit so the clerk can shorten before sending.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-maxlength]").forEach(function (area) {
    var limit = parseInt(area.dataset.maxlength, 10);
    if (!isFinite(limit) || limit <= 0) { return; }
    var counter = document.createElement("div");
    counter.className = "form-text text-end text-counter";
    counter.setAttribute("aria-live", "polite");
    if (area.id) { counter.id = area.id + "-count"; }
    area.insertAdjacentElement("afterend", counter);
    function update() {
      // Count characters as the server does (code points, a line break sent as two), not UTF-16 units.
      var used = Array.from(area.value.replace(/\r?\n/g, "\r\n")).length;
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("text-danger", used > limit);
      counter.classList.toggle("fw-bold", used > limit);
    }
    area.addEventListener("input", update);
    update();
  });
})();
