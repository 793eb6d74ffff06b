// The one-call page: the per-callback answers are asked only when the call reached the customer
// (copying a phone number is in desk.js).
(function () {
  "use strict";
  const form = document.getElementById("call-form");
  if (!form) return;
  function reached() {
    const chosen = form.querySelector('input[name="call"]:checked');
    const yes = !chosen || chosen.value === "reached";
    form.querySelectorAll(".callback-answer").forEach((block) => block.classList.toggle("d-none", !yes));
    const next = document.getElementById("next-attempt");
    if (next) next.classList.toggle("d-none", yes);
  }
  form.querySelectorAll('input[name="call"]').forEach((radio) => radio.addEventListener("change", reached));
  reached();
})();
