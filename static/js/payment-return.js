// The card payment's return page follows the payment by itself: while the provider is still
// confirming it, the page asks again every few seconds and shows the answer as soon as there
// is one (for two minutes at most). Without JavaScript, a <meta refresh> reloads the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-payment-state]");
  var waiting = ["confirming", "unknown"];
  if (!box || waiting.indexOf(box.getAttribute("data-payment-state")) < 0) {
    return;
  }
  var tries = 0;
  function again() {
    if (tries < 40) {
      window.setTimeout(ask, 3000);
    }
  }
  function ask() {
    tries += 1;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-payment-state]");
        if (fresh && waiting.indexOf(fresh.getAttribute("data-payment-state")) < 0) {
          box.replaceWith(document.importNode(fresh, true));
        } else {
          again();
        }
      })
      .catch(again);
  }
  window.setTimeout(ask, 2000);
})();
