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

// Keyboard shortcuts shown in the navbar (issue 15):
//   a[data-shortcut="F2"]   opens its form when the key is pressed (asks first when something
//                           typed on this page is not saved yet; does nothing on that form itself)
//   "/"                     outside a text field, puts the cursor in the navbar's phone search
(function () {
  "use strict";
  const shortcuts = new Map();
  document.querySelectorAll("a[data-shortcut]").forEach((link) => shortcuts.set(link.dataset.shortcut, link));

  function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  let dirty = false;
  document.querySelectorAll("main form").forEach((form) => {
    form.addEventListener("input", () => {
      dirty = true;
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const link = shortcuts.get(event.key);
    if (link) {
      event.preventDefault();
      if (new URL(link.href).pathname === window.location.pathname) return; // already there
      if (dirty && !window.confirm(link.dataset.confirm || "")) return;
      window.location.assign(link.href);
      return;
    }
    if (event.key === "/" && !typing(event.target)) {
      const search = document.querySelector("#phone-search input[name=q]");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    }
  });
})();
