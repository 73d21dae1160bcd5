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
  "use strict";
  var $ = page.$, $$ = page.$$, field = page.field, init = page.init;
  var el = CrossCheckCommon.el;

  var TYPES = [["title", "Title"], ["subtitle", "Subtitle"], ["subtask", "Subtask"], ["penalty", "Penalty"]];
  var RS_TYPE = {title: "title", subtitle: "sub-title", subtask: "subtask", penalty: "penalty"};
  var HEADING = {title: true, subtitle: true};

  var meta = {};         // taskName, information, github, externalLink of the checklist
  var items = [];        // [{id, type, text, max}] in order
  var previewTimer = null;
  var previewSeq = 0;    // answers to older preview requests are ignored

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

  function renderItems(focus) {
    var list = $(".ccs-items");
    list.textContent = "";
    items.forEach(function (item, index) { list.appendChild(itemRow(item, index)); });
    $(".ccs-count").textContent = items.length + (items.length === 1 ? " item" : " items") +
      " (at most " + init.limits.max_items + ").";
    if (focus) {
      var target = list.children[focus.index] && list.children[focus.index].querySelector(focus.selector);
      if (target && target.disabled) { target = list.children[focus.index].querySelector(focus.fallback || "textarea"); }
      if (target) { target.focus(); }
    }
  }

  function itemRow(item, index) {
    var n = index + 1;
    var type = el("select", {"class": "ccs-item-type", "aria-label": "Type of item " + n},
      TYPES.map(function (t) { return el("option", {value: t[0], text: t[1], selected: t[0] === item.type}); }));
    type.addEventListener("change", function () { changeType(index, type.value); });
    var text = el("textarea", {"class": "ccs-item-text", rows: 2, "aria-label": "Text of item " + n});
    text.value = item.text;
    text.addEventListener("input", function () { item.text = text.value; schedulePreview(); });
    var max = el("input", {type: "number", step: "any", "class": "ccs-item-max",
                           "aria-label": "Points of item " + n, hidden: !!HEADING[item.type],
                           max: item.type === "penalty" ? 0 : null, min: item.type === "subtask" ? 0 : null});
    max.value = HEADING[item.type] ? "" : String(item.max);
    max.addEventListener("input", function () {
      // An empty or unreadable number is sent as null: the server says what is missing.
      item.max = max.value === "" || isNaN(Number(max.value)) ? null : Number(max.value);
      schedulePreview();
    });
    return el("li", {"class": "ccs-item ccs-type-" + item.type, "data-id": item.id}, [
      el("span", {"class": "ccs-pos", "aria-hidden": "true", text: String(n)}),
      type, text,
      el("span", {"class": "ccs-max-wrap"}, [max]),
      el("span", {"class": "ccs-item-actions"}, [
        el("button", {type: "button", "class": "ccs-icon ccs-up", "aria-label": "Move item " + n + " up",
                      title: "Move up", disabled: index === 0, text: "↑", onclick: function () { move(index, -1); }}),
        el("button", {type: "button", "class": "ccs-icon ccs-down", "aria-label": "Move item " + n + " down",
                      title: "Move down", disabled: index === items.length - 1, text: "↓",
                      onclick: function () { move(index, 1); }}),
        el("button", {type: "button", "class": "ccs-icon ccs-delete", "aria-label": "Delete item " + n,
                      title: "Delete", text: "✕", onclick: function () { remove(index); }})
      ])
    ]);
  }

  function move(index, step) {
    var to = index + step;
    if (to < 0 || to >= items.length) { return; }
    var item = items.splice(index, 1)[0];
    items.splice(to, 0, item);
    // Keep the keyboard where it was: on the same button of the moved item.
    renderItems({index: to, selector: step < 0 ? ".ccs-up" : ".ccs-down", fallback: step < 0 ? ".ccs-down" : ".ccs-up"});
    announce("Item moved to position " + (to + 1) + ".");
    schedulePreview();
  }

  function remove(index) {
    items.splice(index, 1);
    renderItems(items.length ? {index: Math.min(index, items.length - 1), selector: ".ccs-delete"} : null);
    if (!items.length) { $(".ccs-add button[data-add=subtask]").focus(); }
    announce("Item " + (index + 1) + " deleted.");
    schedulePreview();
  }

  function add(type) {
    items.push({id: newId(), type: type, text: "", max: HEADING[type] ? 0 : (type === "penalty" ? -10 : 10)});
    renderItems({index: items.length - 1, selector: "textarea"});
    announce("Item " + items.length + " added.");
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
      .then(function (answer) { if (seq === previewSeq) { renderPreview(answer); } return answer; },
            function (error) { if (seq === previewSeq) { renderPreview({error: error}); } throw error; });
  }

  function renderPreview(answer) {
    var body = $(".ccs-preview-body"), problem = $(".ccs-preview-error"), totals = $(".ccs-totals");
    $$(".ccs-item.ccs-invalid").forEach(function (row) { row.classList.remove("ccs-invalid"); });
    problem.textContent = answer.error ? answer.error.error : "";
    problem.hidden = !answer.error;
    if (answer.error) {
      markItem(answer.error.position);
      return;  // keep the last good preview visible under the message
    }
    body.textContent = "";
    totals.textContent = answer.totals ? answer.totals.message : "Enter a maximum score to compare the totals.";
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
      var points = item.type === "penalty" ? "(" + item.max + ")" : "(+" + item.max + ")";
      body.appendChild(el("div", {"class": "ccs-p-item ccs-p-" + item.type}, [
        html, " ", el("span", {"class": "ccs-p-max", text: points})]));
    });
  }

  // ------------------------------------------------------------------ import / export

  function importText(text, source) {
    var status = $(".ccs-import-status");
    status.textContent = "Reading " + source + "…";
    status.className = "ccs-import-status";
    // A preview of the old list still on its way must not overwrite the imported one.
    clearTimeout(previewTimer);
    var seq = ++previewSeq;
    return call("studio_preview", {checklist: text, max_score: page.numberValue("max_score")}).then(function (answer) {
      if (answer.error) {
        // The server's own sentence: the same one a save would refuse the file with.
        status.textContent = source + ": " + answer.error.error;
        status.className = "ccs-import-status ccs-bad";
        // The list is unchanged: bring back the preview this import may have cancelled.
        if (seq === previewSeq) { schedulePreview(); }
        return;
      }
      loadChecklist(answer.checklist);
      renderItems();
      if (seq === previewSeq) { renderPreview(answer); } else { schedulePreview(); }
      status.textContent = "Imported " + answer.checklist.items.length + " items from " + source +
        ". Check them, then save.";
      status.className = "ccs-import-status ccs-good";
    }, function (error) {
      status.textContent = source + ": " + error.error;
      status.className = "ccs-import-status ccs-bad";
      if (seq === previewSeq) { schedulePreview(); }
    });
  }

  function uploadFile(input) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { importText(String(reader.result), file.name); input.value = ""; };
    reader.onerror = function () {
      $(".ccs-import-status").textContent = file.name + ": the file could not be read.";
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
  $(".ccs-import-paste").addEventListener("click", function () { importText(field("import_text").value, "the pasted text"); });
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
