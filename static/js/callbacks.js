// Callback worklist and the one-call page: copy a phone number; on the call page, the
// per-callback answers are asked only when the call reached the customer.
(function () {
  "use strict";
  document.querySelectorAll(".copy-phone").forEach((button) => {
    button.addEventListener("click", () => {
      const done = () => {
        button.textContent = button.dataset.done || button.textContent;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.phone).then(done, done);
      } else {
        const field = document.createElement("textarea");
        field.value = button.dataset.phone;
        document.body.appendChild(field);
        field.select();
        document.execCommand("copy");
        field.remove();
        done();
      }
    });
  });

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
