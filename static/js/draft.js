// A form sent back after its session expired (see `csrf::Draft`): fills the form of this page
// that posts to the same address with what was typed, passwords aside, and focuses it. Hidden
// fields keep the page's own (fresher) values and the new token.
(function () {
  "use strict";
  var data = document.getElementById("form-draft");
  if (!data) { return; }
  var draft;
  try { draft = JSON.parse(data.textContent); } catch (e) { return; }
  var form = null;
  Array.prototype.forEach.call(document.querySelectorAll("form[method=post], form[method=POST]"), function (f) {
    if (!form && f.getAttribute("action") === draft.action) { form = f; }
  });
  if (!form) { return; }
  var values = {};
  draft.fields.forEach(function (pair) {
    (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
  });
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.name || !(el.name in values) || el.type === "hidden" || el.type === "password" || el.type === "file") { return; }
    var posted = values[el.name];
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = posted.indexOf(el.value) >= 0;
    } else if (el.tagName === "SELECT" && el.multiple) {
      Array.prototype.forEach.call(el.options, function (o) { o.selected = posted.indexOf(o.value) >= 0; });
    } else {
      el.value = posted[0];
    }
  });
  // Checkboxes left unticked are not posted: untick those the draft does not name.
  Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (el) {
    if (el.name && !(el.name in values)) { el.checked = false; }
  });
  var notice = document.getElementById("draft-notice");
  if (notice && form.parentNode) { form.parentNode.insertBefore(notice, form); }
  var first = form.querySelector("input:not([type=hidden]), select, textarea");
  if (first) { first.focus(); }
}());
