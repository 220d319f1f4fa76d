/* anjian — the only page script (no inline handlers: CSP-friendly). */
(function () {
  "use strict";

  // Detail pages: open the tab named in the URL hash (#tab-sites …) and keep the hash in step,
  // so a redirect after saving a child record lands on its tab and reloads stay there.
  function showTabFromHash() {
    var hash = window.location.hash;
    if (!hash || hash.indexOf("#tab-") !== 0 || !window.bootstrap) return;
    var btn = document.querySelector('[data-bs-toggle="tab"][data-bs-target="' + hash + '"]');
    if (btn) window.bootstrap.Tab.getOrCreateInstance(btn).show();
  }

  document.addEventListener("shown.bs.tab", function (event) {
    var target = event.target.getAttribute("data-bs-target");
    if (target && history.replaceState) history.replaceState(null, "", target);
  });

  // Forms marked data-confirm ask before submitting (the server still requires POST).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var msg = form && form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) event.preventDefault();
  });

  // Filter forms marked data-drop-empty leave unset filters out of the URL (?q=化工, not
  // ?q=化工&jurisdiction=&sector=&…), both through htmx and on a plain submit.
  function dropEmpty(formData) {
    var empty = [];
    formData.forEach(function (value, key) {
      if (value === "") empty.push(key);
    });
    empty.forEach(function (key) {
      if (formData.getAll(key).every(function (v) { return v === ""; })) formData.delete(key);
    });
  }
  document.addEventListener("formdata", function (event) {
    if (event.target.hasAttribute("data-drop-empty")) dropEmpty(event.formData);
  });
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var form = elt && (elt.closest ? elt.closest("form") : null);
    if (form && form.hasAttribute("data-drop-empty") && event.detail.formData) dropEmpty(event.detail.formData);
  });

  // The export link follows the filters the user has applied through htmx.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var link = document.getElementById("export-link");
    if (!link) return;
    var params = new URLSearchParams(window.location.search);
    params.delete("page");
    var base = link.getAttribute("href").split("?")[0];
    var qs = params.toString();
    link.setAttribute("href", qs ? base + "?" + qs : base);
  });

  window.addEventListener("hashchange", showTabFromHash);
  // Scripts are deferred: bootstrap.bundle is loaded before this file.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showTabFromHash);
  } else {
    showTabFromHash();
  }
})();
