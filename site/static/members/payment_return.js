// While the payment is processing, ask the server every few seconds whether the webhook has
// confirmed it, and say so in the live region.
(function () {
  "use strict";
  var box = document.getElementById("payment-status");
  if (!box) return;
  var text = document.getElementById("payment-status-message");
  var receipt = document.getElementById("payment-status-receipt");
  var tries = 0;

  function poll() {
    tries += 1;
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === box.dataset.state && !data.receipt_url) return schedule();
        box.dataset.state = data.status;
        text.textContent = data.message;
        box.classList.remove("alert-info");
        box.classList.add(data.status === "paid" ? "alert-success" : data.status === "failed" ? "alert-danger" : "alert-info");
        if (data.status === "failed") document.getElementById("payment-retry").hidden = false;
        if (data.receipt_url) {
          var link = document.createElement("a");
          link.href = data.receipt_url;
          link.textContent = box.dataset.receiptLabel;
          receipt.replaceChildren(link);
        } else if (data.status === "processing" || data.status === "paid") {
          schedule();
        }
      })
      .catch(schedule);
  }

  function schedule() {
    if (tries < 60) window.setTimeout(poll, 3000);
  }
  schedule();
})();
