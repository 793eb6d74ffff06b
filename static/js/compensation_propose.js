// The proposal form shows the sum of the documented loss as it is typed; the service checks it again.
(function () {
  "use strict";
  var out = document.querySelector("#loss-sum span");
  if (!out) return;
  var names = ["loss_price", "loss_costs", "loss_penalties"];
  function cents(name) {
    var field = document.querySelector("[name=" + name + "]");
    return Math.round((parseFloat(field && field.value) || 0) * 100);
  }
  function update() {
    var total = names.reduce(function (sum, n) { return sum + cents(n); }, 0);
    // Written as servicedesk.amounts writes money in both languages: 6,800.00.
    out.textContent = (total / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  names.forEach(function (n) {
    var field = document.querySelector("[name=" + n + "]");
    if (field) field.addEventListener("input", update);
  });
  update();
})();
