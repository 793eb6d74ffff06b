// Behaviour every page shares. No template carries inline script or style (the
// Content-Security-Policy forbids both), so the markup says what it wants with data attributes:
//   data-print              a button that prints the page
//   data-autosubmit         a <select> that submits its form when changed
//   data-width="42"         a bar whose width is 42 % (progress bars, dashboard charts)
//   data-height="42"        a bar whose height is 42 %
//   .copy-phone[data-phone] a button that copies a phone number
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  function percent(value) {
    var number = parseFloat(value);
    return isFinite(number) ? Math.max(0, Math.min(100, number)) + "%" : "0%";
  }
  document.querySelectorAll("[data-width]").forEach(function (el) { el.style.width = percent(el.dataset.width); });
  document.querySelectorAll("[data-height]").forEach(function (el) { el.style.height = percent(el.dataset.height); });
  document.querySelectorAll(".copy-phone[data-phone]").forEach(function (button) {
    button.addEventListener("click", function () {
      var phone = button.dataset.phone;
      var done = function () { button.textContent = button.dataset.copied || "✓"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(phone).then(done, done);
      } else {
        var field = document.createElement("textarea");
        field.value = phone; document.body.appendChild(field); field.select();
        document.execCommand("copy"); field.remove(); done();
      }
    });
  });
})();
