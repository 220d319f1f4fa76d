/* anjian — the field form offline (ARCHITECTURE.md rule 10).
 *
 * The whole draft of an inspection is kept in IndexedDB on every change, keyed by a
 * client-generated idempotency key (a new inspection) or by the inspection's id (an existing one).
 * Online, it is sent to the server: a new inspection through POST /api/v1/inspections/sync/ (the
 * same key never creates a second inspection), later changes through …/{id}/results/, photos and
 * recordings (queued as Blobs) through …/{id}/evidence/, completion through …/{id}/complete/.
 * Offline, or when a request fails on the network, the draft stays and is sent on the `online`
 * event. After a successful sync the page shows the server's state and the local copy is removed.
 * A periodic authenticated GET keeps the session alive while the form is open.
 *
 * CSP: no inline handlers, no eval; the page passes its configuration with json_script.
 */
(function () {
  "use strict";

  // The print page's button (also used outside the field form).
  document.addEventListener("click", function (event) {
    var btn = event.target.closest ? event.target.closest("[data-action='print']") : null;
    if (btn) {
      event.preventDefault();
      window.print();
    }
  });

  var cfgEl = document.getElementById("field-config");
  if (!cfgEl) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var form = document.getElementById("field-form");
  var completeForm = document.getElementById("complete-form");
  if (!form || !window.indexedDB || !window.fetch) return;

  var KEEPALIVE_MS = 5 * 60 * 1000;
  var SYNC_DELAY_MS = 1500;
  var RETRY_MS = 30 * 1000;

  var state = {
    mode: cfg.mode, // "new" until the server has created the inspection, then "existing"
    inspection: cfg.inspection,
    key: null, // IndexedDB key of the draft
    idem: null, // idempotency key of a new inspection
    started: cfg.mode === "existing",
    syncing: false,
    again: false,
    timer: null,
    retry: null,
    itemIds: {},
    status: cfg.status,
    readonly: cfg.mode === "existing" && !document.getElementById("save-results"),
  };
  (cfg.items || []).forEach(function (it) {
    if (it.id) state.itemIds[it.order] = it.id;
  });

  // --- small helpers -------------------------------------------------------------------------
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    // The cookie first: a page reopened from the offline cache may carry a token rotated since.
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = $("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function fmtTime(d) {
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function url(template, id) { return template.replace("{id}", String(id)); }
  function apiUrl(id, action) { return cfg.urls.api + id + "/" + (action ? action + "/" : ""); }

  // --- IndexedDB -----------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var req = indexedDB.open("anjian-field", 1);
      req.onupgradeneeded = function () {
        var d = req.result;
        if (!d.objectStoreNames.contains("drafts")) d.createObjectStore("drafts", { keyPath: "key" });
        if (!d.objectStoreNames.contains("evidence")) {
          var s = d.createObjectStore("evidence", { keyPath: "id", autoIncrement: true });
          s.createIndex("owner", "owner", { unique: false });
        }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return dbPromise;
  }
  function store(name, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(name, mode);
        var s = t.objectStore(name);
        var out;
        var r = fn(s);
        if (r && "onsuccess" in r) r.onsuccess = function () { out = r.result; };
        t.oncomplete = function () { resolve(out); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function getDraft(key) { return store("drafts", "readonly", function (s) { return s.get(key); }); }
  function putDraft(d) { return store("drafts", "readwrite", function (s) { return s.put(d); }); }
  function deleteDraft(key) { return store("drafts", "readwrite", function (s) { return s.delete(key); }); }
  function allDrafts() { return store("drafts", "readonly", function (s) { return s.getAll(); }); }
  function evidenceFor(owner) { return store("evidence", "readonly", function (s) { return s.index("owner").getAll(owner); }); }
  function addEvidence(rec) { return store("evidence", "readwrite", function (s) { return s.add(rec); }); }
  function deleteEvidence(id) { return store("evidence", "readwrite", function (s) { return s.delete(id); }); }
  function rekeyEvidence(from, to) {
    return evidenceFor(from).then(function (list) {
      return store("evidence", "readwrite", function (s) {
        list.forEach(function (rec) { rec.owner = to; s.put(rec); });
      });
    });
  }

  // --- the status bar ------------------------------------------------------------------------
  var bar = $("#sync-bar");
  var statusEl = $("#sync-status");
  var detailEl = $("#sync-detail");
  var errorEl = $("#sync-error");
  var discardBtn = $("#draft-discard");
  if (bar) bar.hidden = false;

  // The bar is sticky above the form: when it grows or shrinks, everything below it moves. A tap
  // on a toggle right after typing in a field first blurs that field; its change event saved the
  // draft and revealed 放弃本机草稿 at once, so the bar grew by a line between the press and the
  // release, the release landed on another element and the tap was lost (the second officer's
  // toggle stayed off). The bar now changes only once the pointer is released (after the click).
  var pressed = false;
  var waiting = [];
  function settle() {
    if (!pressed) return;
    pressed = false;
    setTimeout(function () { waiting.splice(0).forEach(function (fn) { fn(); }); }, 0);
  }
  document.addEventListener("pointerdown", function () { pressed = true; }, true);
  document.addEventListener("click", settle, true);
  document.addEventListener("pointercancel", settle, true);
  // A release without a click (a drag, a release outside the page) must not hold the bar forever.
  document.addEventListener("pointerup", function () { setTimeout(settle, 400); }, true);
  function whenSettled(fn) {
    if (pressed) waiting.push(fn);
    else fn();
  }
  function showDiscard(visible) {
    whenSettled(function () { if (discardBtn) discardBtn.hidden = !visible; });
  }

  function show(kind, text, detail) {
    whenSettled(function () { showNow(kind, text, detail); });
  }
  function showNow(kind, text, detail) {
    if (!bar) return;
    bar.classList.remove("is-offline", "is-synced", "is-error", "is-syncing", "is-hint");
    if (kind) bar.classList.add("is-" + kind);
    bar.setAttribute("data-state", kind || "idle");
    statusEl.textContent = text;
    var icon = $("#sync-icon");
    if (icon) icon.className = "bi " + ({ offline: "bi-cloud-slash", synced: "bi-cloud-check", error: "bi-exclamation-octagon", syncing: "bi-cloud-upload", hint: "bi-info-circle" }[kind] || "bi-cloud");
    if (detail) {
      detailEl.textContent = detail;
      detailEl.hidden = false;
    } else {
      detailEl.hidden = true;
    }
  }
  function clearErrors() {
    whenSettled(clearErrorsNow);
  }
  function clearErrorsNow() {
    if (errorEl) {
      errorEl.hidden = true;
      errorEl.textContent = "";
    }
    $all("[data-field-error]").forEach(function (el) { el.hidden = true; el.textContent = ""; });
  }
  function showError(body, where) {
    whenSettled(function () { showErrorNow(body, where); });
  }
  function showErrorNow(body, where) {
    // The server's Chinese message, its article and every field message, next to the button.
    var box = document.createElement("div");
    box.className = "alert alert-danger py-2 domain-error";
    box.setAttribute("role", "alert");
    box.setAttribute("data-code", (body && body.code) || "error");
    var msg = document.createElement("div");
    msg.textContent = (body && body.message) || "同步失败。";
    box.appendChild(msg);
    if (body && body.article) {
      var art = document.createElement("div");
      art.className = "small text-body-secondary mt-1";
      art.textContent = "依据：" + body.article;
      box.appendChild(art);
    }
    var fields = (body && body.fields) || {};
    Object.keys(fields).forEach(function (name) {
      var msgs = [].concat(fields[name]).map(function (m) { return typeof m === "string" ? m : JSON.stringify(m); });
      var slot = $("[data-field-error='" + name + "']");
      if (slot) {
        slot.textContent = msgs.join(" ");
        slot.hidden = false;
      }
      var li = document.createElement("div");
      li.className = "small";
      li.textContent = msgs.join(" ");
      box.appendChild(li);
    });
    var target = where || errorEl;
    if (target === errorEl && errorEl) {
      errorEl.innerHTML = "";
      errorEl.appendChild(box);
      errorEl.hidden = false;
    } else if (target) {
      var old = target.querySelector(".domain-error.js-error");
      if (old) old.remove();
      box.classList.add("js-error");
      target.insertBefore(box, target.firstChild);
    }
  }

  // --- reading and writing the form ---------------------------------------------------------
  function cards() { return $all(".item-card", form); }
  function cardResult(card) {
    var checked = $("input[type=radio]:checked", card);
    return checked ? checked.value : "unchecked";
  }
  function cardNote(card) {
    var ta = $("textarea", card);
    return ta ? ta.value : "";
  }
  function updateProgress() {
    var all = cards();
    var done = all.filter(function (c) { return cardResult(c) !== "unchecked"; }).length;
    var bad = all.filter(function (c) { return cardResult(c) === "noncompliant"; }).length;
    var el = $("#progress");
    if (el) el.textContent = "已检查 " + done + " / " + all.length + " 项" + (bad ? " · 不符合 " + bad + " 项" : "");
  }
  function readHeader() {
    var fd = new FormData(form);
    var tz = cfg.tzOffset || "+08:00";
    var date = fd.get("inspected_on") || "";
    var time = fd.get("started_time") || "";
    return {
      enterprise: cfg.enterprise,
      type: fd.get("type") || "",
      inspected_on: date,
      started_time: time,
      started_at: date && time ? date + "T" + time + ":00" + tz : "",
      place: fd.get("place") || "",
      site: fd.get("site") ? Number(fd.get("site")) : null,
      officer_ids: fd.getAll("officers").map(Number),
      expert_ids: fd.getAll("experts").map(Number),
      // The annual plan's item carried out (absent when the unit has none this month).
      plan_item_id: fd.get("plan_item") ? Number(fd.get("plan_item")) : null,
    };
  }
  function writeHeader(h) {
    if (!h) return;
    function set(name, value) {
      var el = form.elements.namedItem(name);
      if (el && "value" in el && value !== undefined && value !== null) el.value = value;
    }
    set("type", h.type);
    set("inspected_on", h.inspected_on);
    set("started_time", h.started_time);
    set("place", h.place);
    set("site", h.site === null ? "" : String(h.site));
    if (h.plan_item_id !== undefined) set("plan_item", h.plan_item_id === null ? "" : String(h.plan_item_id));
    $all("input[name=officers]", form).forEach(function (el) { el.checked = h.officer_ids.indexOf(Number(el.value)) >= 0; });
    $all("input[name=experts]", form).forEach(function (el) { el.checked = h.expert_ids.indexOf(Number(el.value)) >= 0; });
  }
  function localStamp() {
    // Now, as the datetime-local value "YYYY-MM-DDTHH:MM:SS" on the device's clock.
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds());
  }
  function readComplete(previous) {
    if (!completeForm) return null;
    var fd = new FormData(completeForm);
    // A blank end is the moment 完成检查 is pressed: stamped now, kept in the draft, so a sync
    // hours later still records when the visit ended.
    var ended = fd.get("c-ended_at") || (previous && previous.ended_at_stamp) || localStamp();
    return {
      party_representative: fd.get("c-party_representative") || "",
      party_title: fd.get("c-party_title") || "",
      party_signature: fd.get("c-party_signature") || "",
      refusal_note: fd.get("c-refusal_note") || "",
      summary: fd.get("c-summary") || "",
      onsite_handling: fd.get("c-onsite_handling") || "",
      ended_at_local: fd.get("c-ended_at") || "",
      ended_at_stamp: fd.get("c-ended_at") ? "" : ended,
      ended_at: (ended.length === 16 ? ended + ":00" : ended) + (cfg.tzOffset || "+08:00"),
    };
  }
  function writeComplete(c) {
    if (!c || !completeForm) return;
    ["party_representative", "party_title", "refusal_note", "summary", "onsite_handling"].forEach(function (n) {
      var el = completeForm.elements.namedItem("c-" + n);
      if (el && c[n] !== undefined) el.value = c[n];
    });
    var ended = completeForm.elements.namedItem("c-ended_at");
    if (ended && c.ended_at_local) ended.value = c.ended_at_local;
    $all("input[name='c-party_signature']", completeForm).forEach(function (el) { el.checked = el.value === c.party_signature; });
  }
  function applyResults(results) {
    Object.keys(results || {}).forEach(function (order) {
      var card = $("#item-" + order);
      if (!card) return;
      var r = results[order];
      $all("input[type=radio]", card).forEach(function (el) { el.checked = el.value === r.result; });
      var ta = $("textarea", card);
      if (ta) ta.value = r.note || "";
      card.setAttribute("data-result", r.result || "unchecked");
      card.classList.add("is-dirty");
    });
    updateProgress();
  }

  // --- the draft -------------------------------------------------------------------------------
  var draft = null; // the in-memory copy, written through to IndexedDB on every change

  function newDraft() {
    return {
      key: state.key,
      user: cfg.user,
      enterprise: cfg.enterprise,
      mode: state.mode,
      inspection: state.inspection,
      idem: state.idem,
      header: state.mode === "new" ? readHeader() : null,
      results: {},
      complete: null,
      rev: 0,
      updatedAt: new Date().toISOString(),
    };
  }
  var saveChain = Promise.resolve();
  function save() {
    if (!draft) draft = newDraft();
    draft.rev += 1;
    draft.updatedAt = new Date().toISOString();
    if (state.mode === "new") draft.header = readHeader();
    var copy = JSON.parse(JSON.stringify(draft));
    saveChain = saveChain.then(function () { return putDraft(copy); }).catch(function () {
      show("error", "本机存储失败（浏览器空间不足或处于隐私模式），请尽快联网同步。");
    });
    showDiscard(true);
    return saveChain;
  }
  function scheduleSync(delay) {
    if (!state.started) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(flush, delay === undefined ? SYNC_DELAY_MS : delay);
  }

  function onItemChange(card) {
    if (!draft) draft = newDraft();
    var order = card.getAttribute("data-order");
    var result = cardResult(card);
    card.setAttribute("data-result", result);
    card.classList.add("is-dirty");
    draft.results[order] = { result: result, note: cardNote(card) };
    updateProgress();
  }

  form.addEventListener("change", function (event) {
    if (state.readonly) return;
    var t = event.target;
    if (t.matches && t.matches("input[type=file][data-evidence]")) return; // handled below
    var card = t.closest ? t.closest(".item-card") : null;
    if (card) {
      state.started = true;
      onItemChange(card);
    }
    save().then(function () { scheduleSync(); });
    if (!navigator.onLine) showPending();
  });
  var noteTimer = null;
  form.addEventListener("input", function (event) {
    if (state.readonly) return;
    var t = event.target;
    var card = t.closest ? t.closest(".item-card") : null;
    if (!card || t.tagName !== "TEXTAREA") return;
    onItemChange(card);
    clearTimeout(noteTimer);
    noteTimer = setTimeout(function () {
      save().then(function () { scheduleSync(); });
      if (!navigator.onLine) showPending();
    }, 300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.started = true;
    cards().forEach(function (c) {
      if (cardResult(c) !== "unchecked" || cardNote(c)) onItemChange(c);
    });
    save().then(function () { flush(); });
  });
  if (completeForm) {
    completeForm.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!draft) draft = newDraft();
      state.started = true;
      draft.complete = readComplete();
      save().then(function () { flush(); });
    });
    completeForm.addEventListener("change", function () {
      if (draft && draft.complete) {
        draft.complete = readComplete(draft.complete);
        save();
      }
    });
  }

  // Photos, recordings and videos: queued as Blobs in IndexedDB, uploaded after the sync.
  function kindOf(file, hint) {
    var t = file.type || "";
    if (t.indexOf("image/") === 0) return "photo";
    if (t.indexOf("audio/") === 0) return "audio";
    if (t.indexOf("video/") === 0) return "video";
    return hint === "photo" ? "photo" : "video";
  }
  function refreshEvidenceState() {
    return evidenceFor(state.key).then(function (list) {
      var per = {};
      list.forEach(function (r) { per[r.order] = (per[r.order] || 0) + 1; });
      $all("[data-evidence-state]").forEach(function (el) {
        var o = el.getAttribute("data-evidence-state");
        var base = el.getAttribute("data-uploaded") || "";
        el.textContent = (per[o] ? "待上传" + per[o] + "个" : "") + (per[o] && base ? " · " : "") + base;
      });
      return list.length;
    });
  }
  $all("[data-evidence-state]").forEach(function (el) { el.setAttribute("data-uploaded", el.textContent.trim()); });
  form.addEventListener("change", function (event) {
    var t = event.target;
    if (!t.matches || !t.matches("input[type=file][data-evidence]") || !t.files || !t.files.length) return;
    state.started = true;
    var order = Number(t.getAttribute("data-order"));
    var hint = t.getAttribute("data-evidence");
    var files = Array.prototype.slice.call(t.files);
    var chain = draft ? Promise.resolve() : save();
    files.forEach(function (file) {
      chain = chain.then(function () {
        return addEvidence({ owner: state.key, order: order, kind: kindOf(file, hint), blob: file, name: file.name || "evidence", addedAt: new Date().toISOString() });
      });
    });
    chain.then(function () {
      t.value = "";
      return refreshEvidenceState();
    }).then(function () {
      if (!navigator.onLine) showPending();
      scheduleSync();
    }).catch(function () {
      show("error", "照片或录音未能保存到本机，请重试。");
    });
  });

  // --- talking to the server -------------------------------------------------------------------
  function NetError(cause) { this.network = true; this.cause = cause; }
  function HttpError(status, body) { this.status = status; this.body = body; }

  function request(method, target, body, isForm) {
    var headers = { "X-CSRFToken": csrfToken(), Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };
    if (body && !isForm) headers["Content-Type"] = "application/json";
    return fetch(target, { method: method, headers: headers, credentials: "same-origin", cache: "no-store", body: isForm ? body : body ? JSON.stringify(body) : undefined })
      .catch(function (e) { throw new NetError(e); })
      .then(function (resp) {
        return resp.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: "服务器返回了无法识别的内容(HTTP " + resp.status + "）。" }; }
          if (!resp.ok) throw new HttpError(resp.status, data || {});
          return data;
        });
      });
  }

  function resultsPayload(d, byId) {
    return Object.keys(d.results || {}).map(function (order) {
      var r = d.results[order];
      var entry = { result: r.result || "unchecked", note: r.note || "" };
      if (byId) entry.item = state.itemIds[order];
      else entry.order = Number(order);
      return entry;
    }).filter(function (e) { return !byId || e.item; });
  }

  function switchToExisting(insp) {
    // The server has the inspection: from now on this page edits it by id (…/results/).
    var oldKey = state.key;
    state.mode = "existing";
    state.inspection = insp.id;
    state.key = "insp-" + insp.id;
    (insp.items || []).forEach(function (it) { state.itemIds[it.order] = it.id; });
    cards().forEach(function (c) {
      var id = state.itemIds[c.getAttribute("data-order")];
      if (id) c.setAttribute("data-item-id", id);
    });
    var header = $("#header-card");
    if (header) {
      header.disabled = true;
      var note = document.createElement("div");
      note.className = "alert alert-success py-2 mx-3 mt-0 small";
      note.textContent = "检查已在服务器创建（检查编号" + insp.id + "），检查信息不能再修改。";
      header.appendChild(note);
    }
    form.setAttribute("action", url(cfg.urls.field, insp.id));
    if (completeForm) completeForm.setAttribute("action", url(cfg.urls.field, insp.id).replace(/field\/$/, "complete/"));
    var save = $("#save-results");
    if (save) save.textContent = "保存检查结果";
    var fieldUrl = url(cfg.urls.field, insp.id);
    if (window.history && history.replaceState) history.replaceState(null, "", fieldUrl);
    // Keep the new page for offline reloads (the service worker serves it from this cache).
    if (window.caches) {
      caches.open("anjian-pages-v1").then(function (c) { return c.add(fieldUrl); }).catch(function () {});
    }
    var moving = draft ? JSON.parse(JSON.stringify(draft)) : null;
    if (draft) {
      draft.key = state.key;
      draft.mode = "existing";
      draft.inspection = insp.id;
      draft.header = null;
    }
    return Promise.all([
      moving ? putDraft(Object.assign({}, moving, { key: state.key, mode: "existing", inspection: insp.id, header: null })).then(function () { return deleteDraft(oldKey); }) : deleteDraft(oldKey),
      rekeyEvidence(oldKey, state.key),
    ]);
  }

  function showServerState(insp) {
    state.status = insp.status;
    var items = insp.items || [];
    var done = items.filter(function (i) { return i.result !== "unchecked"; }).length;
    var bad = items.filter(function (i) { return i.result === "noncompliant"; }).length;
    items.forEach(function (it) {
      var card = $("#item-" + it.order);
      if (!card) return;
      card.setAttribute("data-result", it.result);
      $all("input[type=radio]", card).forEach(function (el) { el.checked = el.value === it.result; });
    });
    cards().forEach(function (c) { c.classList.remove("is-dirty"); });
    updateProgress();
    var findings = (insp.findings || []).length;
    var evidence = (insp.evidence || []).length;
    show(
      "synced",
      "已同步 " + fmtTime(new Date()) + " · 服务器已记录 " + done + " / " + items.length + " 项",
      "检查编号" + insp.id + " · " + (insp.status === "completed" ? "已完成" : "检查中") + " · 不符合 " + bad + " 项 · 检查发现问题 " + findings + " 个 · 证据 " + evidence + " 个"
    );
    var per = {};
    (insp.evidence || []).forEach(function (e) {
      var it = items.filter(function (i) { return i.id === e.item; })[0];
      if (it) per[it.order] = (per[it.order] || 0) + 1;
    });
    $all("[data-evidence-state]").forEach(function (el) {
      var o = el.getAttribute("data-evidence-state");
      el.setAttribute("data-uploaded", per[o] ? "已上传" + per[o] + "个证据" : "");
    });
    showDiscard(false);
    return refreshEvidenceState();
  }

  function headerProblem(h) {
    // Only what the officer can see is missing; the server still checks everything (certificates…).
    if (!h.inspected_on || !h.started_time) return "请填写检查日期和开始时间";
    if (!String(h.place || "").trim()) return "请填写检查地点";
    if ((h.officer_ids || []).length < 2) return "请在“检查信息”中选择至少两名执法人员（《行政处罚法》第四十二条）";
    return null;
  }

  function showPending(extra) {
    show("offline", "离线保存，联网后自动同步", extra || "草稿已保存在本机（" + fmtTime(new Date()) + "），网络恢复后将自动上传。");
  }

  // Recordings go up in pieces (…/uploads/): a dropped connection costs at most one piece, and the
  // upload id is kept with the queued file so the next attempt continues where the server stopped.
  var CHUNK_THRESHOLD = 4 * 1024 * 1024;
  var CHUNK_SIZE = 4 * 1024 * 1024;

  function sendPiece(url, blob, offset) {
    return fetch(url + "?offset=" + offset, {
      method: "PUT", credentials: "same-origin", cache: "no-store", body: blob,
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", "Content-Type": "application/octet-stream" },
    }).catch(function (e) { throw new NetError(e); }).then(function (resp) {
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = {}; }
        if (!resp.ok) throw new HttpError(resp.status, data || {});
        return data;
      });
    });
  }

  function uploadInPieces(rec) {
    var base = apiUrl(state.inspection, "uploads");
    var started = rec.uploadId
      ? request("GET", base + rec.uploadId + "/").catch(function (err) {
          if (err instanceof HttpError && err.status === 404) return null;
          throw err;
        })
      : Promise.resolve(null);
    return started.then(function (status) {
      if (status) return status;
      var body = { kind: rec.kind, name: rec.name, total_size: rec.blob.size };
      if (state.itemIds[rec.order]) body.item = state.itemIds[rec.order];
      return request("POST", base, body).then(function (up) {
        rec.uploadId = up.id;
        return store("evidence", "readwrite", function (s) { return s.put(rec); }).then(function () { return up; });
      });
    }).then(function (up) {
      var url = base + up.id + "/";
      function next(received) {
        if (received >= rec.blob.size) return request("POST", url + "complete/", {});
        var piece = rec.blob.slice(received, Math.min(received + CHUNK_SIZE, rec.blob.size));
        return sendPiece(url, piece, received).then(function (r) { return next(r.received); });
      }
      return next(up.received || 0);
    });
  }

  function uploadEvidence() {
    return evidenceFor(state.key).then(function (list) {
      var chain = Promise.resolve();
      var problems = [];
      state.uploaded = 0;
      list.forEach(function (rec) {
        chain = chain.then(function () {
          var sending;
          if (rec.kind === "video" || rec.blob.size > CHUNK_THRESHOLD) {
            sending = uploadInPieces(rec);
          } else {
            var fd = new FormData();
            fd.append("file", rec.blob, rec.name);
            fd.append("kind", rec.kind);
            if (state.itemIds[rec.order]) fd.append("item", state.itemIds[rec.order]);
            sending = request("POST", apiUrl(state.inspection, "evidence"), fd, true);
          }
          return sending.then(function () {
            state.uploaded += 1;
            return deleteEvidence(rec.id);
          }, function (err) {
            if (err instanceof HttpError && (err.status === 400 || err.status === 422)) {
              // Refused on content (not a photo, too large): drop it and say why.
              problems.push(rec.name + ":" + ((err.body && err.body.message) || "文件被拒绝"));
              return deleteEvidence(rec.id);
            }
            throw err;
          });
        });
      });
      return chain.then(function () { return problems; });
    });
  }

  function flush() {
    clearTimeout(state.timer);
    if (state.syncing) {
      state.again = true;
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      return getDraft(state.key).then(function (d) { if (d) showPending(); });
    }
    state.syncing = true;
    var snapshot = null;
    var evidenceProblems = [];
    return saveChain
      .then(function () { return getDraft(state.key); })
      .then(function (d) {
        snapshot = d;
        return evidenceFor(state.key).then(function (ev) {
          if (!snapshot && !ev.length) return null;
          clearErrors();
          if (state.mode !== "new" || !headerProblem((snapshot && snapshot.header) || readHeader())) show("syncing", "正在同步…");
          if (state.mode === "new") {
            if (!snapshot) snapshot = newDraft();
            var h = snapshot.header || readHeader();
            var problem = headerProblem(h);
            if (problem) {
              // Nothing to ask the server yet: the results wait in this browser.
              show("hint", problem, "检查结果已保存在本机，补全检查信息后自动同步。");
              return null;
            }
            var payload = {
              enterprise: cfg.enterprise,
              type: h.type,
              inspected_on: h.inspected_on,
              started_at: h.started_at,
              place: h.place,
              site: h.site,
              officer_ids: h.officer_ids,
              expert_ids: h.expert_ids,
              plan_item_id: h.plan_item_id || null,
              template_ids: cfg.templateIds,
              idempotency_key: state.idem,
              results: resultsPayload(snapshot, false),
            };
            return request("POST", cfg.urls.sync, payload).then(function (insp) {
              return switchToExisting(insp).then(function () {
                snapshot = Object.assign({}, snapshot, { key: state.key });
                return insp;
              });
            });
          }
          var results = snapshot ? resultsPayload(snapshot, true) : [];
          if (results.length && state.status === "draft") return request("POST", apiUrl(state.inspection, "results"), results);
          return null;
        });
      })
      .then(function (insp) {
        if (state.mode === "new") return null;
        return uploadEvidence().then(function (problems) {
          evidenceProblems = problems;
          if (snapshot && snapshot.complete && state.status === "draft") {
            var c = snapshot.complete;
            var body = { ended_at: c.ended_at, party_representative: c.party_representative, party_title: c.party_title, party_signature: c.party_signature, refusal_note: c.refusal_note, summary: c.summary, onsite_handling: c.onsite_handling };
            return request("POST", apiUrl(state.inspection, "complete"), body).catch(function (err) {
              if (err instanceof HttpError && (err.status === 400 || err.status === 409 || err.status === 422)) {
                // The results are saved; completion needs fixing. Keep the form, drop the request.
                showError(err.body, completeForm ? completeForm.parentNode : null);
                if (draft) draft.complete = null;
                snapshot.complete = null;
                return null;
              }
              throw err;
            });
          }
          return insp;
        });
      })
      .then(function (insp) {
        if (state.mode === "new" || !state.inspection) return null;
        // After uploads the answer of …/results/ no longer lists every piece of evidence: ask again.
        return insp && insp.items && !state.uploaded ? insp : request("GET", apiUrl(state.inspection));
      })
      .then(function (insp) {
        if (!insp) return null;
        clearInterval(state.retry);
        // The server has everything this draft held: remove the local copy, unless the officer
        // changed something while we were sending (then that newer draft is sent next).
        return getDraft(state.key).then(function (current) {
          var unchanged = current && snapshot && current.rev === snapshot.rev;
          var p = unchanged || !current ? deleteDraft(state.key).then(function () { draft = null; }) : Promise.resolve();
          return p.then(function () { return showServerState(insp); }).then(function () {
            if (evidenceProblems.length) showError({ message: "以下证据文件未被接受：", fields: { file: evidenceProblems } });
            if (current && !unchanged) state.again = true;
            if (insp.status === "completed") {
              show("synced", "检查已完成并同步", "正在打开检查详情…");
              setTimeout(function () { window.location.assign(url(cfg.urls.detail, insp.id)); }, 800);
            }
          });
        });
      })
      .catch(function (err) {
        if (err instanceof NetError) {
          showPending();
          clearInterval(state.retry);
          state.retry = setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
          return;
        }
        if (err instanceof HttpError && err.status === 403 && err.body && (err.body.code === "not_authenticated" || err.body.code === "authentication_failed")) {
          show("error", "登录已过期，草稿已保存在本机", "请在新窗口重新登录后点“立即同步”。");
          var a = document.createElement("a");
          a.href = cfg.urls.login;
          a.target = "_blank";
          a.rel = "noopener";
          a.textContent = " 重新登录";
          statusEl.appendChild(a);
          return;
        }
        show("error", "未能同步：草稿仍保存在本机", "请按下方提示修改后再同步。");
        showError(err instanceof HttpError ? err.body : { message: String(err) });
      })
      .then(function () {
        state.syncing = false;
        if (state.again) {
          state.again = false;
          scheduleSync(200);
        }
      });
  }

  // --- keeping the session alive -------------------------------------------------------------
  function keepalive() {
    if (!navigator.onLine) return;
    fetch(cfg.urls.keepalive, { credentials: "same-origin", cache: "no-store", redirect: "manual" }).then(function (resp) {
      if (resp.status === 403 || resp.type === "opaqueredirect") {
        show("error", "登录已过期，草稿已保存在本机", "请在新窗口重新登录后点“立即同步”。");
      }
    }).catch(function () {});
  }
  setInterval(keepalive, KEEPALIVE_MS);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") keepalive();
  });

  // --- connection events ---------------------------------------------------------------------
  window.addEventListener("online", function () {
    keepalive();
    flush();
  });
  window.addEventListener("offline", function () {
    getDraft(state.key).then(function (d) {
      if (d) showPending();
      else show("offline", "当前离线：继续填写，草稿自动保存在本机");
    });
  });
  var syncNow = $("#sync-now");
  if (syncNow) {
    syncNow.addEventListener("click", function () {
      state.started = true;
      save().then(flush);
    });
  }
  if (discardBtn) {
    discardBtn.addEventListener("click", function () {
      if (!window.confirm("放弃本机保存的草稿？尚未同步的检查结果和照片将被删除。")) return;
      evidenceFor(state.key).then(function (list) {
        return Promise.all(list.map(function (r) { return deleteEvidence(r.id); }));
      }).then(function () { return deleteDraft(state.key); }).then(function () {
        if (state.mode === "new") window.location.replace(window.location.pathname);
        else window.location.reload();
      });
    });
  }

  // --- start: restore the draft of this page ----------------------------------------------------
  function hashKey() {
    var m = window.location.hash.match(/draft=([0-9a-fA-F-]{8,64})/);
    return m ? m[1] : null;
  }
  function findNewDraft() {
    var fromHash = hashKey();
    if (fromHash) return getDraft(fromHash);
    return allDrafts().then(function (list) {
      var mine = (list || []).filter(function (d) { return d.mode === "new" && d.user === cfg.user && d.enterprise === cfg.enterprise; });
      mine.sort(function (a, b) { return a.updatedAt < b.updatedAt ? 1 : -1; });
      return mine[0] || null;
    });
  }

  function start() {
    var found;
    if (state.mode === "new") {
      var keyInput = form.elements.namedItem("idempotency_key");
      found = findNewDraft().then(function (d) {
        if (d && d.user === cfg.user) {
          state.idem = d.idem || d.key;
        } else {
          d = null;
          state.idem = hashKey() || (keyInput && keyInput.value) || uuid();
        }
        state.key = state.idem;
        if (keyInput) keyInput.value = state.idem;
        if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + "#draft=" + state.idem);
        return d;
      });
      var section = $("#complete");
      if (section) section.hidden = false;
    } else {
      state.key = "insp-" + cfg.inspection;
      found = getDraft(state.key).then(function (d) { return d && d.user === cfg.user ? d : null; });
    }
    return found.then(function (d) {
      if (d) {
        draft = d;
        state.started = true;
        if (state.mode === "new") writeHeader(d.header);
        applyResults(d.results);
        writeComplete(d.complete);
        showDiscard(true);
        if (navigator.onLine) show("", "已恢复本机保存的草稿（" + fmtTime(new Date(d.updatedAt)) + "），正在同步…");
        else showPending("已恢复本机保存的草稿（" + fmtTime(new Date(d.updatedAt)) + "），网络恢复后将自动上传。");
      } else if (state.readonly) {
        show("", "只读");
      } else {
        show("", navigator.onLine ? (state.mode === "new" ? "填写后自动保存到本机并同步" : "已与服务器一致") : "当前离线：继续填写，草稿自动保存在本机");
      }
      updateProgress();
      return refreshEvidenceState().then(function (pending) {
        if ((d || pending) && navigator.onLine) {
          state.started = true;
          return flush();
        }
        if (pending && !d) showPending();
      });
    });
  }

  // The service worker lets this page reopen without a network. The first visit did not go
  // through it, so the page is put in its cache here; later visits are cached by the worker.
  function cacheThisPage() {
    if (!window.caches) return Promise.resolve();
    var path = window.location.pathname;
    return caches.open("anjian-pages-v1").then(function (c) {
      return navigator.serviceWorker && navigator.serviceWorker.controller ? c.match(path).then(function (hit) { return hit || c.add(path); }) : c.add(path);
    });
  }
  if ("serviceWorker" in navigator && cfg.urls.sw) {
    navigator.serviceWorker.register(cfg.urls.sw, { scope: "/inspections/" })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(cacheThisPage)
      .then(function () { document.documentElement.setAttribute("data-offline-ready", "1"); })
      .catch(function () { document.documentElement.setAttribute("data-offline-ready", "0"); });
  }
  document.documentElement.setAttribute("data-field-ready", "0");
  start().then(function () {
    document.documentElement.setAttribute("data-field-ready", "1");
  }, function () {
    document.documentElement.setAttribute("data-field-ready", "1");
    show("error", "本机存储不可用，检查结果只能在联网时保存。");
  });
})();
