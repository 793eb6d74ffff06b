// Intake page at keyboard speed: find the customer as the mobile is typed (their complaints,
// returns and purchases; a purchase fills the purchase fields in one click), show only the
// fields the case needs (the "other" texts, the amount claimed, the referral deadline), mark
// the address required when someone must go to the customer's home, and warn about purchases
// outside the unified cashier.
(function () {
  "use strict";
  const form = document.getElementById("intake-form");
  if (!form) return;
  const texts = JSON.parse(document.getElementById("intake-i18n").textContent);
  const $ = (name) => form.querySelector(`[name="${name}"]`);
  const words = (value) => new Set((value || "").split(" ").filter(Boolean));
  const addressRule = {
    channels: words(form.dataset.addressChannels),
    categories: words(form.dataset.addressCategories),
    demands: words(form.dataset.addressDemands),
  };

  function show(id, visible) {
    const element = document.getElementById(id);
    if (element) element.classList.toggle("d-none", !visible);
  }

  function cashierWarning() {
    const no = form.querySelector('input[name="paid_via_unified_cashier"][value="no"]');
    show("cashier-warning", Boolean(no && no.checked));
  }

  function hasError(name) {
    const field = $(name);
    return Boolean(field && field.classList.contains("is-invalid"));
  }

  function caseFields() {
    const channel = $("channel").value;
    const category = $("category").value;
    const demand = $("demand").value;
    show("referral-days", channel === "12315" || channel === "12345" || hasError("referral_working_days"));
    show("category-other", category === "O" || hasError("category_other"));
    show("demand-other", demand === "other" || hasError("demand_other"));
    show("claimed-amount", demand === "compensation" || Boolean($("claimed_amount").value) || hasError("claimed_amount"));
    const needed = addressRule.channels.has(channel) && (addressRule.categories.has(category) || addressRule.demands.has(demand));
    show("address-needed", needed && !$("customer_address").value.trim());
    $("customer_address").toggleAttribute("aria-required", needed);
    // A letter, a platform or a referral came in earlier than now: open "More details" for its time.
    if (channel && !addressRule.channels.has(channel)) document.getElementById("intake-more").open = true;
  }

  function setField(name, value) {
    const field = $(name);
    if (!field) return;
    if (field.type === "radio") {
      form.querySelectorAll(`input[name="${name}"]`).forEach((radio) => {
        radio.checked = radio.value === value;
      });
    } else {
      field.value = value;
    }
  }

  function usePurchase(purchase, button) {
    for (const [name, value] of Object.entries(purchase.fill)) setField(name, value);
    const unknown = $("merchant_unknown");
    if (unknown && purchase.fill.booth) unknown.checked = false;
    cashierWarning();
    button.textContent = texts.used.replace("%(order)s", purchase.order_number);
    $("facts").focus();
  }

  function item(text, bold) {
    const li = document.createElement("li");
    li.textContent = text;
    if (bold) li.classList.add("fw-bold");
    return li;
  }

  function fillList(id, rows, empty, line) {
    const list = document.getElementById(id);
    list.replaceChildren();
    if (!rows.length) list.append(item(empty, false));
    for (const row of rows) list.append(line(row));
  }

  let last = "";
  async function lookup() {
    const mobile = $("customer_mobile").value.replace(/[\s-]/g, "").replace(/^\+?86/, "");
    if (mobile.length !== 11 || mobile === last) return;
    last = mobile;
    const response = await fetch(`${form.dataset.lookupUrl}?mobile=${encodeURIComponent(mobile)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const data = await response.json();
    show("history-found", data.found);
    show("history-empty", !data.found);
    if (!data.found) return;
    for (const [field, value] of [["customer_name", data.name], ["customer_address", data.address], ["customer_other_phone", data.other_phone]]) {
      if (!$(field).value && value) $(field).value = value;
    }
    document.getElementById("history-name").textContent = `${texts.known}：${data.name}`;
    document.getElementById("history-link").href = data.url;
    fillList("history-list", data.complaints, texts.none, (c) =>
      item(`${c.received} ${c.number} · ${c.merchant} · ${c.status}${c.voucher ? " · " + c.voucher : ""}`, c.open));
    fillList("history-returns", data.returns, texts.no_returns, (r) =>
      item(`${r.requested} ${r.number} · ${r.merchant} · ${r.goods} · ${r.status}`, r.open));
    fillList("history-purchases", data.purchases, texts.no_purchases, (p) => {
      const li = item(`${p.paid} ${p.order_number} · ${p.merchant} · ${p.goods} · ${p.amount} `, false);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary py-0 use-purchase";
      button.dataset.order = p.order_number;
      button.textContent = texts.use;
      button.addEventListener("click", () => usePurchase(p, button));
      li.append(button);
      return li;
    });
    caseFields();
  }

  form.querySelectorAll('input[name="paid_via_unified_cashier"]').forEach((r) => r.addEventListener("change", cashierWarning));
  for (const name of ["channel", "category", "demand", "customer_address"]) $(name).addEventListener("change", caseFields);
  $("customer_address").addEventListener("input", caseFields);
  $("customer_mobile").addEventListener("input", lookup);
  $("customer_mobile").addEventListener("change", lookup);
  cashierWarning();
  caseFields();
  lookup(); // a customer carried over from their page or a purchase: show their history at once
})();
