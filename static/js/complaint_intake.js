// Intake page: find the customer as the mobile is typed, warn about purchases outside the
// unified cashier, show the referral deadline only for 12315/12345.
(function () {
  "use strict";
  const form = document.getElementById("intake-form");
  if (!form) return;
  const texts = JSON.parse(document.getElementById("intake-i18n").textContent);
  const $ = (name) => form.querySelector(`[name="${name}"]`);

  function cashierWarning() {
    const no = form.querySelector('input[name="paid_via_unified_cashier"][value="no"]');
    document.getElementById("cashier-warning").classList.toggle("d-none", !(no && no.checked));
  }
  form.querySelectorAll('input[name="paid_via_unified_cashier"]').forEach((r) => r.addEventListener("change", cashierWarning));
  cashierWarning();

  function referral() {
    const channel = $("channel").value;
    document.getElementById("referral-days").classList.toggle("d-none", !(channel === "12315" || channel === "12345"));
  }
  $("channel").addEventListener("change", referral);
  referral();

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
    document.getElementById("history-found").classList.toggle("d-none", !data.found);
    document.getElementById("history-empty").classList.toggle("d-none", data.found);
    if (!data.found) return;
    for (const [field, value] of [["customer_name", data.name], ["customer_address", data.address], ["customer_other_phone", data.other_phone]]) {
      if (!$(field).value && value) $(field).value = value;
    }
    document.getElementById("history-name").textContent = `${texts.known}：${data.name}`;
    const list = document.getElementById("history-list");
    list.replaceChildren();
    if (!data.complaints.length) {
      const li = document.createElement("li");
      li.textContent = texts.none;
      list.append(li);
    }
    for (const c of data.complaints) {
      const li = document.createElement("li");
      li.textContent = `${c.received} ${c.number} · ${c.merchant} · ${c.status}${c.voucher ? " · " + c.voucher : ""}`;
      if (c.open) li.classList.add("fw-bold");
      list.append(li);
    }
  }
  $("customer_mobile").addEventListener("input", lookup);
  $("customer_mobile").addEventListener("change", lookup);
})();
