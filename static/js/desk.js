// Every page of the desk: keyboard shortcuts shown in the navbar, and print buttons.
//  - a shortcut link in the navbar (data-shortcut="F2") opens its form when the key is pressed;
//  - "/" (outside a text field) puts the cursor in the navbar's customer phone search;
//  - a button with data-print prints the page (no inline handlers: the pages run under a CSP).
(function () {
  "use strict";
  const shortcuts = new Map();
  document.querySelectorAll("a[data-shortcut]").forEach((link) => shortcuts.set(link.dataset.shortcut, link));

  function typing(target) {
    if (!target) return false;
    const tag = target.tagName;
    return target.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // Something typed into a form on this page and not saved yet: a shortcut asks before leaving.
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

  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
})();
