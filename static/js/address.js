// Checkout address help. As soon as a French postal code is typed, the town field offers its
// communes (the shop's own table, /checkout/towns). When the shop uses the national address API
// (the form carries data-streets), the street field offers matching addresses, and choosing one
// fills in the postal code and the town. Without JavaScript the server still checks the postal
// code and town, and offers the communes after a submit.
(function () {
  "use strict";
  var form = document.querySelector("form.checkout-form");
  var code = document.getElementById("f-postal_code");
  var city = document.getElementById("f-city");
  var street = document.getElementById("f-street");
  var country = document.getElementById("f-country");
  var towns = document.getElementById("towns");
  if (!form || !code || !city || !country || !towns) {
    return;
  }

  function fill(list, values) {
    list.textContent = "";
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v.value;
      if (v.label) {
        option.label = v.label;
      }
      list.appendChild(option);
    });
  }

  function ask(url, then) {
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) { then(answer); } })
      .catch(function () {});
  }

  var askedTowns = "";
  function offerTowns() {
    var typed = code.value.replace(/\s+/g, "");
    if (country.value !== "FR" || !/^\d{5}$/.test(typed) || typed === askedTowns) {
      return;
    }
    askedTowns = typed;
    ask("/checkout/towns?postal_code=" + encodeURIComponent(typed), function (answer) {
      if (askedTowns === typed) {
        fill(towns, answer.towns.map(function (t) { return { value: t }; }));
      }
    });
  }
  code.addEventListener("input", offerTowns);
  country.addEventListener("change", function () { askedTowns = ""; offerTowns(); });
  offerTowns();

  var streetsUrl = form.dataset.streets;
  var streets = document.getElementById("streets");
  if (!streetsUrl || !street || !streets) {
    return;
  }
  var offered = [];
  var pending = null;
  var askedStreet = "";
  street.addEventListener("input", function () {
    var typed = street.value.trim();
    var chosen = offered.filter(function (a) { return a.street === street.value; })[0];
    if (chosen) {
      code.value = chosen.postal_code;
      city.value = chosen.city;
      offerTowns();
      return;
    }
    if (country.value !== "FR" || typed.length < 4 || typed === askedStreet) {
      return;
    }
    clearTimeout(pending);
    // Asked once the customer pauses, not at every key.
    pending = setTimeout(function () {
      askedStreet = typed;
      var url = streetsUrl + "?q=" + encodeURIComponent(typed) +
        "&postal_code=" + encodeURIComponent(code.value.replace(/\s+/g, ""));
      ask(url, function (answer) {
        if (askedStreet !== typed) {
          return;
        }
        offered = answer.addresses;
        fill(streets, offered.map(function (a) { return { value: a.street, label: a.label }; }));
      });
    }, 250);
  });
})();
