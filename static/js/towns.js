// Checkout: as soon as a French postal code is typed, the town field offers its communes (the
// shop's own table, /checkout/towns). Without JavaScript the server offers them after a submit.
(function () {
  "use strict";
  var code = document.getElementById("f-postal_code");
  var country = document.getElementById("f-country");
  var list = document.getElementById("towns");
  if (!code || !country || !list) {
    return;
  }
  var asked = "";
  function offer() {
    var typed = code.value.replace(/\s+/g, "");
    if (country.value !== "FR" || !/^\d{5}$/.test(typed) || typed === asked) {
      return;
    }
    asked = typed;
    fetch("/checkout/towns?postal_code=" + encodeURIComponent(typed), {
      headers: { Accept: "application/json" }
    })
      .then(function (r) { return r.ok ? r.json() : { towns: [] }; })
      .then(function (answer) {
        if (asked !== typed) {
          return;
        }
        list.textContent = "";
        answer.towns.forEach(function (town) {
          var option = document.createElement("option");
          option.value = town;
          list.appendChild(option);
        });
      })
      .catch(function () {});
  }
  code.addEventListener("input", offer);
  country.addEventListener("change", function () { asked = ""; offer(); });
  offer();
})();
