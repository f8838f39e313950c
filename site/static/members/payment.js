// The Payment Element (Stripe.js) on our own page. The amount is the PaymentIntent's, set on the
// server; this script only collects the card or IBAN and confirms.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form) return;
  var message = document.getElementById("payment-message");
  var loading = document.getElementById("payment-loading");
  var submit = document.getElementById("payment-submit");

  function unavailable() {
    loading.hidden = true;
    document.getElementById("payment-unavailable").hidden = false;
  }

  window.addEventListener("load", function () {
    if (typeof window.Stripe !== "function") return unavailable();
    var stripe = window.Stripe(form.dataset.publishableKey, { locale: document.documentElement.lang || "fr" });
    var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
    var element = elements.create("payment");
    element.on("ready", function () {
      loading.hidden = true;
      submit.disabled = false;
    });
    element.mount("#payment-element");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit.disabled = true;
      message.textContent = "";
      stripe
        .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
        .then(function (result) {
          // Only reached on an immediate error: success leaves for the return page.
          if (result.error) message.textContent = result.error.message;
          submit.disabled = false;
        });
    });
  });
})();
