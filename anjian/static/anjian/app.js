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

  // Batch printing in the register: the header box selects every document on this page (a
  // checkbox: Tab to it, Space to toggle), up to the cap of one batch (data-max), and the count
  // chosen is said in a live region. Without this script the box stays hidden; the server checks
  // the cap in any case.
  function picks(all) {
    var form = all.closest("form");
    var name = all.getAttribute("data-select-all");
    return form ? Array.prototype.filter.call(form.querySelectorAll('input[type="checkbox"]'), function (b) {
      return b.name === name && !b.disabled;
    }) : [];
  }

  function syncPicks(all) {
    var boxes = picks(all);
    var max = parseInt(all.getAttribute("data-max"), 10) || boxes.length;
    var n = boxes.filter(function (b) { return b.checked; }).length;
    all.checked = n > 0 && n === Math.min(boxes.length, max);
    all.indeterminate = n > 0 && !all.checked;
    var form = all.closest("form");
    var out = form && form.querySelector("[data-select-count]");
    var submit = form && form.querySelector("[data-select-submit]");
    var text = n ? "已选" + n + "份" : "";
    if (n > max) text = "已选" + n + "份，超过一次最多" + max + "份：请减少后再打印。";
    else if (all.checked && boxes.length > max) text += "（一次最多" + max + "份：本页其余" + (boxes.length - n) + "份请分批打印）";
    if (out) out.textContent = text;
    if (submit) submit.disabled = n > max;
  }

  function initPicks() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (all) {
      all.hidden = false;
      syncPicks(all);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.type !== "checkbox") return;
    if (target.hasAttribute("data-select-all")) {
      var boxes = picks(target);
      var max = parseInt(target.getAttribute("data-max"), 10) || boxes.length;
      var on = target.checked;
      var chosen = 0;
      boxes.forEach(function (b) {
        b.checked = on && chosen < max;
        if (b.checked) chosen += 1;
      });
      syncPicks(target);
      return;
    }
    var form = target.closest("form");
    var all = form && target.name && window.CSS ? form.querySelector('[data-select-all="' + window.CSS.escape(target.name) + '"]') : null;
    if (all) syncPicks(all);
  });
  // Back to the page from the job: the browser restores the boxes, the count follows.
  window.addEventListener("pageshow", initPicks);

  window.addEventListener("hashchange", showTabFromHash);
  // Scripts are deferred: bootstrap.bundle is loaded before this file.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showTabFromHash);
    document.addEventListener("DOMContentLoaded", initPicks);
  } else {
    showTabFromHash();
    initPicks();
  }
})();
