// The payment page: Stripe.js mounts the card field, confirms the payment in the browser
// (3-D Secure included), then sends the customer to the return page, where the server reads
// the payment's status from Stripe. Nothing here decides that an order is paid.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") {
    return;
  }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("pay-button");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    errors.textContent = "";
    stripe
      .confirmCardPayment(form.dataset.secret, { payment_method: { card: card } })
      .then(function (result) {
        if (result.error) {
          errors.textContent = result.error.message || "";
          button.disabled = false;
        } else {
          window.location.assign(form.dataset.return);
        }
      });
  });
})();
