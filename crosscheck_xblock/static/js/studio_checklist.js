/* The Studio editor's checklist section (for studio.js): the item-by-item editor, the preview of
 * the learner's form, and import/export. Plain JS, no build step.
 *
 * The server does everything that needs a rule: parsing pasted or uploaded JSON/YAML, and
 * sanitizing item HTML and totalling for the preview (studio_preview). Only the server-sanitized
 * `html` of checklist items is inserted as HTML; every other text goes in with textContent.
 *
 * `page` is the editor's shared view (studio.js): {box, form, init, field(name), $(sel), $$(sel),
 * numberValue(name)}; `call(handler, body)` posts to this block's handlers (CrossCheckCommon).
 */
function CrossCheckStudioChecklist(page, call) {
  "use strict";  // i18n: code
  var $ = page.$, $$ = page.$$, field = page.field, init = page.init;
  var el = CrossCheckCommon.el, t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;

  var TYPES = [["title", t("Title")], ["subtitle", t("Subtitle")], ["subtask", t("Subtask")], ["penalty", t("Penalty")]];
  var RS_TYPE = {title: "title", subtitle: "sub-title", subtask: "subtask", penalty: "penalty"};
  var HEADING = {title: true, subtitle: true};

  var meta = {};         // taskName, information, github, externalLink of the checklist
  var items = [];        // [{id, type, text, max}] in order
  var previewTimer = null;
  var previewSeq = 0;    // answers to older preview requests are ignored
  var announceTimer = null;
  var NAME_CHARS = 60;   // the item's text in a control's accessible name is cut to this length

  // ------------------------------------------------------------------ checklist ⇄ rs JSON

  /** The editor's checklist in the rs format; ids only where they differ from the default. */
  function buildRs() {
    var rs = {taskName: meta.taskName || ""};
    if (meta.github) { rs.github = meta.github; }
    if (meta.information) { rs.information = meta.information; }
    if (meta.externalLink) { rs.externalLink = meta.externalLink; }
    rs.criteria = items.map(function (item, index) {
      var criterion = {type: RS_TYPE[item.type]};
      // Ids keep scores attached to their items across edits; reordering must not renumber them.
      if (item.id !== "c" + (index + 1)) { criterion.id = item.id; }
      if (HEADING[item.type]) { criterion.title = item.text; }
      else { criterion.text = item.text; criterion.max = item.max; }
      return criterion;
    });
    return rs;
  }

  function checklistText() { return JSON.stringify(buildRs(), null, 2); }

  /** Take over a checklist the server parsed (public form: task_name, items…). */
  function loadChecklist(checklist) {
    meta = {taskName: checklist.task_name, information: checklist.information,
            github: checklist.github, externalLink: checklist.external_link};
    items = checklist.items.map(function (item) {
      return {id: item.id, type: item.type, text: item.text, max: item.max};
    });
    field("task_name").value = meta.taskName || "";
    field("information").value = meta.information || "";
  }

  /** The stored checklist is unusable (e.g. bad OLX): offer its text for fixing. */
  function offerForFixing(text) {
    meta = {taskName: ""};
    field("import_text").value = text;
    $(".ccs-import").open = true;
  }

  /** An id no item has: c<N> with N past every existing number and the list's length. */
  function newId() {
    var used = {}, next = items.length + 1;
    items.forEach(function (item) {
      used[item.id] = true;
      var match = /^c(\d+)$/.exec(item.id);
      if (match) { next = Math.max(next, Number(match[1]) + 1); }
    });
    while (used["c" + next]) { next += 1; }
    return "c" + next;
  }

  // ------------------------------------------------------------------ the item list

  function announce(text) { $(".ccs-announce").textContent = text; }

  /** An item's text as it reads in a control's name: tags dropped (it is never parsed as HTML
   * here), the common entities decoded, spaces collapsed, cut to NAME_CHARS. */
  function plainText(text) {
    var words = String(text || "").replace(/<[^>]*>/g, " ").replace(/&nbsp;/g, " ").replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
    return words.length > NAME_CHARS ? words.slice(0, NAME_CHARS - 1).trim() + "…" : words;
  }

  /** The accessible names of an item's controls: each names the item by position and text. */
  function controlNames(n, text) {
    var p = {n: n, text: plainText(text)};
    var names = p.text ? {
      type: t("Type of item %(n)s ‘%(text)s’", p),
      max: t("Points for item %(n)s ‘%(text)s’", p),
      up: t("Move item %(n)s ‘%(text)s’ up", p),
      down: t("Move item %(n)s ‘%(text)s’ down", p),
      remove: t("Delete item %(n)s ‘%(text)s’", p)
    } : {
      type: t("Type of item %(n)s (no text yet)", p),
      max: t("Points for item %(n)s (no text yet)", p),
      up: t("Move item %(n)s (no text yet) up", p),
      down: t("Move item %(n)s (no text yet) down", p),
      remove: t("Delete item %(n)s (no text yet)", p)
    };
    names.text = t("Text of item %(n)s", p);  // its value is the text itself
    return names;
  }

  /** Name the row's controls after its item (again when the text changes). */
  function nameControls(row, index) {
    var names = controlNames(index + 1, items[index].text);
    [[".ccs-item-type", names.type], [".ccs-item-text", names.text], [".ccs-item-max", names.max],
     [".ccs-up", names.up], [".ccs-down", names.down], [".ccs-delete", names.remove]].forEach(function (pair) {
      row.querySelector(pair[0]).setAttribute("aria-label", pair[1]);
    });
  }

  function renderItems(focus) {
    var list = $(".ccs-items");
    list.textContent = "";
    items.forEach(function (item, index) { list.appendChild(itemRow(item, index)); });
    $(".ccs-count").textContent = nt("%(n)s item (at most %(max)s).", "%(n)s items (at most %(max)s).",
                                     items.length, {max: init.limits.max_items});
    if (focus) {
      var target = list.children[focus.index] && list.children[focus.index].querySelector(focus.selector);
      if (target && target.disabled) { target = list.children[focus.index].querySelector(focus.fallback || "textarea"); }
      if (target) { target.focus(); }
    }
  }

  function itemRow(item, index) {
    var n = index + 1;
    var type = el("select", {"class": "ccs-item-type"},
      TYPES.map(function (pair) { return el("option", {value: pair[0], text: pair[1], selected: pair[0] === item.type}); }));
    type.addEventListener("change", function () { changeType(index, type.value); });
    var text = el("textarea", {"class": "ccs-item-text", rows: 2});
    text.value = item.text;
    var row;
    text.addEventListener("input", function () { item.text = text.value; nameControls(row, index); schedulePreview(); });
    var max = el("input", {type: "number", step: "any", "class": "ccs-item-max", hidden: !!HEADING[item.type],
                           max: item.type === "penalty" ? 0 : null, min: item.type === "subtask" ? 0 : null});
    max.value = HEADING[item.type] ? "" : String(item.max);
    max.addEventListener("input", function () {
      // An empty or unreadable number is sent as null: the server says what is missing.
      item.max = max.value === "" || isNaN(Number(max.value)) ? null : Number(max.value);
      schedulePreview();
    });
    row = el("li", {"class": "ccs-item ccs-type-" + item.type, "data-id": item.id}, [
      el("span", {"class": "ccs-pos", "aria-hidden": "true", text: String(n)}),
      type, text,
      el("span", {"class": "ccs-max-wrap"}, [max]),
      el("span", {"class": "ccs-item-actions"}, [
        el("button", {type: "button", "class": "ccs-icon ccs-up", title: t("Move up"), disabled: index === 0,
                      text: "↑", onclick: function () { move(index, -1); }}),
        el("button", {type: "button", "class": "ccs-icon ccs-down", title: t("Move down"),
                      disabled: index === items.length - 1, text: "↓", onclick: function () { move(index, 1); }}),
        el("button", {type: "button", "class": "ccs-icon ccs-delete", title: t("Delete"), text: "✕",
                      onclick: function () { remove(index); }})
      ])
    ]);
    nameControls(row, index);
    return row;
  }

  function move(index, step) {
    var to = index + step;
    if (to < 0 || to >= items.length) { return; }
    var item = items.splice(index, 1)[0];
    items.splice(to, 0, item);
    // Keep the keyboard where it was: on the same button of the moved item.
    renderItems({index: to, selector: step < 0 ? ".ccs-up" : ".ccs-down", fallback: step < 0 ? ".ccs-down" : ".ccs-up"});
    var words = plainText(item.text);
    announce(words ? t("Item ‘%(text)s’ moved to position %(n)s.", {text: words, n: to + 1})
                   : t("Item moved to position %(n)s.", {n: to + 1}));
    schedulePreview();
  }

  function remove(index) {
    var words = plainText(items.splice(index, 1)[0].text);
    renderItems(items.length ? {index: Math.min(index, items.length - 1), selector: ".ccs-delete"} : null);
    if (!items.length) { $(".ccs-add button[data-add=subtask]").focus(); }
    announce(words ? t("Item %(n)s ‘%(text)s’ deleted.", {n: index + 1, text: words})
                   : t("Item %(n)s deleted.", {n: index + 1}));
    schedulePreview();
  }

  function add(type) {
    items.push({id: newId(), type: type, text: "", max: HEADING[type] ? 0 : (type === "penalty" ? -10 : 10)});
    renderItems({index: items.length - 1, selector: "textarea"});
    announce(t("Item %(n)s added at the end; type its text.", {n: items.length}));
    schedulePreview();
  }

  /** A changed type keeps the text; points follow the sign the new type needs. */
  function changeType(index, type) {
    var item = items[index];
    var points = Math.abs(Number(item.max) || 0);
    item.type = type;
    item.max = HEADING[type] ? 0 : (type === "penalty" ? -points : points);
    renderItems({index: index, selector: ".ccs-item-type"});
    schedulePreview();
  }

  /** Mark the row of the item at `position` (1-based) as invalid; returns the row, if any. */
  function markItem(position) {
    if (!position) { return null; }
    var row = $(".ccs-items").children[position - 1];
    if (row) { row.classList.add("ccs-invalid"); }
    return row;
  }

  // ------------------------------------------------------------------ preview

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(requestPreview, 250);
  }

  function requestPreview() {
    var seq = ++previewSeq;
    return call("studio_preview", {checklist: checklistText(), max_score: page.numberValue("max_score")})
      .then(function (answer) {
        if (seq === previewSeq) { renderPreview(answer); announcePreview(answer); }
        return answer;
      }, function (error) { if (seq === previewSeq) { renderPreview({error: error}); } throw error; });
  }

  /** Say that the preview changed, once typing pauses (an error is an alert of its own). */
  function announcePreview(answer) {
    clearTimeout(announceTimer);
    if (answer.error) { return; }
    announceTimer = setTimeout(function () {
      var n = answer.checklist.items.length;
      $(".ccs-preview-status").textContent = nt("Preview updated: %(n)s item.", "Preview updated: %(n)s items.", n) +
        (answer.totals ? " " + answer.totals.message : "");
    }, 1000);
  }

  function renderPreview(answer) {
    var body = $(".ccs-preview-body"), problem = $(".ccs-preview-error"), totals = $(".ccs-totals");
    $$(".ccs-item.ccs-invalid").forEach(function (row) { row.classList.remove("ccs-invalid"); });
    var message = answer.error ? answer.error.error : "";
    // The same sentence again is not set again: the alert would be read at every keystroke.
    if (problem.textContent !== message) { problem.textContent = message; }
    problem.hidden = !answer.error;
    if (answer.error) {
      markItem(answer.error.position);
      return;  // keep the last good preview visible under the message
    }
    body.textContent = "";
    totals.textContent = answer.totals ? answer.totals.message : t("Enter a maximum score to compare the totals.");
    totals.className = "ccs-totals" + (answer.totals ? " ccs-totals-" + answer.totals.status : "");
    var checklist = answer.checklist;
    if (checklist.task_name) { body.appendChild(el("h4", {"class": "ccs-p-task", text: checklist.task_name})); }
    if (checklist.information) { body.appendChild(el("p", {"class": "ccs-p-info", text: checklist.information})); }
    checklist.items.forEach(function (item) {
      var html = el("span", {"class": "ccs-p-text"});
      html.innerHTML = item.html;  // sanitized by the server (crosscheck_xblock.sanitize)
      if (HEADING[item.type]) {
        body.appendChild(el("div", {"class": "ccs-p-" + item.type}, [html]));
        return;
      }
      var points = "(" + (item.type === "penalty" ? "" : "+") + CrossCheckCommon.fmtPoints(item.max) + ")";
      body.appendChild(el("div", {"class": "ccs-p-item ccs-p-" + item.type}, [
        html, " ", el("span", {"class": "ccs-p-max", text: points})]));
    });
  }

  // ------------------------------------------------------------------ import / export

  /** Import `text` (pasted when `file` is empty, else the name of the uploaded file). */
  function importText(text, file) {
    var status = $(".ccs-import-status");
    function failed(message) {
      // The server's own sentence: the same one a save would refuse the file with.
      status.textContent = file ? t("%(file)s: %(error)s", {file: file, error: message})
                                : t("The pasted text: %(error)s", {error: message});
      status.className = "ccs-import-status ccs-bad";
    }
    status.textContent = file ? t("Reading %(file)s…", {file: file}) : t("Reading the pasted text…");
    status.className = "ccs-import-status";
    // A preview of the old list still on its way must not overwrite the imported one.
    clearTimeout(previewTimer);
    var seq = ++previewSeq;
    return call("studio_preview", {checklist: text, max_score: page.numberValue("max_score")}).then(function (answer) {
      if (answer.error) {
        failed(answer.error.error);
        // The list is unchanged: bring back the preview this import may have cancelled.
        if (seq === previewSeq) { schedulePreview(); }
        return;
      }
      loadChecklist(answer.checklist);
      renderItems();
      if (seq === previewSeq) { renderPreview(answer); } else { schedulePreview(); }
      var n = answer.checklist.items.length;
      status.textContent = file
        ? nt("Imported %(n)s item from %(file)s. Check it, then save.",
             "Imported %(n)s items from %(file)s. Check them, then save.", n, {file: file})
        : nt("Imported %(n)s item from the pasted text. Check it, then save.",
             "Imported %(n)s items from the pasted text. Check them, then save.", n);
      status.className = "ccs-import-status ccs-good";
    }, function (error) {
      failed(error.error);
      if (seq === previewSeq) { schedulePreview(); }
    });
  }

  function uploadFile(input) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { importText(String(reader.result), file.name); input.value = ""; };
    reader.onerror = function () {
      var status = $(".ccs-import-status");
      status.textContent = t("%(file)s: the file could not be read.", {file: file.name});
      status.className = "ccs-import-status ccs-bad";
    };
    reader.readAsText(file);
  }

  function download() {
    var blob = new Blob([checklistText() + "\n"], {type: "application/json"});
    var url = URL.createObjectURL(blob);
    var name = (meta.taskName || "checklist").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    var link = el("a", {href: url, download: (name || "checklist") + ".json", hidden: true});
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ------------------------------------------------------------------ wiring

  field("task_name").addEventListener("input", function () { meta.taskName = field("task_name").value; schedulePreview(); });
  field("information").addEventListener("input", function () { meta.information = field("information").value; schedulePreview(); });
  field("max_score").addEventListener("input", schedulePreview);  // the preview compares the totals with it
  $$(".ccs-add button").forEach(function (button) {
    button.addEventListener("click", function () { add(button.getAttribute("data-add")); });
  });
  $(".ccs-import-paste").addEventListener("click", function () { importText(field("import_text").value, ""); });
  $(".ccs-file").addEventListener("change", function (event) { uploadFile(event.target); });
  $(".ccs-download").addEventListener("click", download);

  return {
    text: checklistText,
    load: loadChecklist,
    offerForFixing: offerForFixing,
    renderItems: renderItems,
    renderPreview: renderPreview,
    requestPreview: requestPreview,
    markItem: markItem
  };
}
