// The remedy advisor beside the complaint intake: reads the purchase and delivery dates, the
// received time, the amount and the category from the form, and the repair history from its own
// boxes (which belong to no form, so they are never submitted with the complaint), and shows
// what the warranty and the law give, as the server works it out.
(function () {
  "use strict";
  const panel = document.getElementById("remedy-advisor");
  if (!panel) return;
  const result = document.getElementById("advisor-result");
  const value = (id) => {
    const el = document.getElementById(id);
    return el ? el.value : "";
  };
  let timer = null;
  let last = "";

  function query() {
    const params = new URLSearchParams();
    const put = (key, val) => { if (val) params.set(key, val); };
    put("purchase_date", value("id_purchase_date"));
    put("delivery_date", value("id_delivery_date"));
    put("found_on", (value("id_received_at") || "").slice(0, 10));
    put("price", value("id_purchase_amount"));
    if (value("id_category") === "M" && value("id_purchase_amount")) put("fraud", "on");
    panel.querySelectorAll("[data-advisor]").forEach((el) => {
      if (el.type === "checkbox") { if (el.checked) params.set(el.dataset.advisor, "on"); }
      else put(el.dataset.advisor, el.value);
    });
    return params;
  }

  function refresh() {
    const params = query();
    if (!params.get("purchase_date") && !params.get("delivery_date")) return;
    const qs = params.toString();
    if (qs === last) return;
    last = qs;
    fetch(panel.dataset.url + "?" + qs, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => { if (html && qs === last) result.innerHTML = html; })
      .catch(() => {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  const form = panel.closest("form");
  (form || document).addEventListener("change", later);
  (form || document).addEventListener("input", later);
  panel.addEventListener("change", later);
  panel.addEventListener("input", later);
  refresh();
})();
