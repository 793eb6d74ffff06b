// Redraw the eligibility panel whenever a date, flag or the voucher changes on the return form.
(function () {
  const form = document.getElementById("return-form");
  const panel = document.getElementById("eligibility-slot");
  if (!form || !panel) return;
  const url = panel.dataset.url;
  let pending = null;
  function refresh() {
    const params = new URLSearchParams();
    for (const element of form.elements) {
      if (!element.name || element.name === "csrfmiddlewaretoken") continue;
      if (element.type === "checkbox") { if (element.checked) params.append(element.name, "on"); }
      else if (element.type === "radio") { if (element.checked) params.append(element.name, element.value); }
      else params.append(element.name, element.value);
    }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(url + "?" + params.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then((response) => response.ok ? response.text() : "")
      .then((html) => { if (html) panel.innerHTML = html; })
      .catch(() => {});
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", (event) => { if (event.target.name === "voucher_number") refresh(); });
  refresh();
})();
