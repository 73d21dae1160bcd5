/* The cross-check Studio editor. Plain JS, no build step, no external files.
 *
 * The checklist is edited item by item in the browser; the server does everything that needs
 * a rule: parsing pasted or uploaded JSON/YAML, sanitizing item HTML and totalling for the
 * preview (studio_preview), and validating and saving (studio_submit). Its messages are shown
 * as they come, so the editor never disagrees with what the server accepts.
 *
 * Only the server-sanitized `html` of checklist items is inserted as HTML; every other text
 * goes in with textContent.
 */
function CrossCheckStudio(runtime, element) {
  "use strict";
  var root = element && element.jquery ? element[0] : element;
  var box = root.querySelector(".ccs");
  var init = JSON.parse(box.querySelector("script.ccs-init").textContent);
  var form = box.querySelector(".ccs-form");
  var uid = "ccs-" + Math.random().toString(36).slice(2, 8);  // unique ids: Studio may render twice

  var TYPES = [["title", "Title"], ["subtitle", "Subtitle"], ["subtask", "Subtask"], ["penalty", "Penalty"]];
  var RS_TYPE = {title: "title", subtitle: "sub-title", subtask: "subtask", penalty: "penalty"};
  var HEADING = {title: true, subtitle: true};
  var DATE_FIELDS = ["submission_due", "review_start", "review_due"];
  var DAY_MS = 24 * 60 * 60 * 1000;

  var meta = {};         // taskName, information, github, externalLink of the checklist
  var items = [];        // [{id, type, text, max}] in order
  var baseline = "";     // the rs JSON last saved (or loaded): tells whether the checklist changed
  var previewTimer = null;
  var previewSeq = 0;    // answers to older preview requests are ignored
  var confirmed = false; // staff accepted the "cross-check has started" warning for this save

  function $(sel) { return box.querySelector(sel); }
  function $$(sel) { return Array.prototype.slice.call(box.querySelectorAll(sel)); }
  function field(name) { return form.elements.namedItem(name); }

  var el = CrossCheckCommon.el;
  var call = CrossCheckCommon.handlerCaller(runtime, root);

  /** Studio's runtime reports save/cancel to the modal; the workbench's may lack notify. */
  function notify(name, data) {
    if (runtime && typeof runtime.notify === "function") { runtime.notify(name, data || {}); }
  }


  // ------------------------------------------------------------------ dates

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** ISO 8601 (UTC) → the value of a datetime-local input, in the browser's time zone. */
  function isoToLocal(iso) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    if (isNaN(d)) { return ""; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  /** A datetime-local value (local time) → ISO 8601 UTC, "" for empty. */
  function localToIso(value) {
    if (!value) { return ""; }
    var d = new Date(value);  // a date-time without a zone is local time
    return isNaN(d) ? value : d.toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  function setDate(name, iso) {
    var input = field(name);
    input.value = isoToLocal(iso);
    // Remember what was shown: an untouched input sends its exact stored value back
    // (the input has no seconds, and a round trip through it must not change the date).
    input.setAttribute("data-iso", iso || "");
    input.setAttribute("data-shown", input.value);
  }

  function dateValue(name) {
    var input = field(name);
    if (input.value === input.getAttribute("data-shown")) { return input.getAttribute("data-iso") || ""; }
    return localToIso(input.value);
  }

  /** T1 in the form: once the deadline is set, an empty start becomes the deadline and an
   * empty end the start + 3 days (the server applies the same rule when saving). */
  function fillDates() {
    var due = field("submission_due"), start = field("review_start"), end = field("review_due");
    if (!due.value) { return; }
    if (!start.value) { start.value = due.value; }
    if (!end.value && start.value) {
      end.value = isoToLocal(new Date(new Date(start.value).getTime() + init.review_days * DAY_MS).toISOString());
    }
  }

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

  // ------------------------------------------------------------------ preview

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(requestPreview, 250);
  }

  function requestPreview() {
    var seq = ++previewSeq;
    return call("studio_preview", {checklist: checklistText(), max_score: numberValue("max_score")})
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

  function markItem(position) {
    if (!position) { return null; }
    var row = $(".ccs-items").children[position - 1];
    if (row) { row.classList.add("ccs-invalid"); }
    return row;
  }

  // ------------------------------------------------------------------ import / export

  function importText(text, source) {
    var status = $(".ccs-import-status");
    status.textContent = "Reading " + source + "…";
    status.className = "ccs-import-status";
    // A preview of the old list still on its way must not overwrite the imported one.
    clearTimeout(previewTimer);
    var seq = ++previewSeq;
    return call("studio_preview", {checklist: text, max_score: numberValue("max_score")}).then(function (answer) {
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

  // ------------------------------------------------------------------ warnings, aggregation, appeals

  var rates = init.warning_rates;  // the simulated rates for the saved k, threshold and maximum

  var percent = CrossCheckCommon.percent;

  function choiceHelp(list, value) {
    var found = list.filter(function (choice) { return choice.value === value; })[0];
    return found ? found.help : "";
  }

  /** A labelled input with its one-line explanation, wired for screen readers. */
  function labelledField(name, label, input, help) {
    input.id = uid + "-" + name;
    input.setAttribute("aria-describedby", uid + "-help-" + name);
    return el("div", {"class": "ccs-field"}, [
      el("label", {"for": input.id, text: label}), input,
      el("p", {"class": "ccs-help", "data-help": name, id: uid + "-help-" + name, text: help || ""})]);
  }

  /** The fieldset of the four grading options, after the Task fieldset. Built here rather than
   * in the template so that the choices and their explanations come from the server. */
  function buildGradingOptions() {
    function select(name, choices) {
      return el("select", {name: name}, choices.map(function (choice) {
        return el("option", {value: choice.value, text: choice.value});
      }));
    }
    var range = init.ranges;
    var group = el("fieldset", {"class": "ccs-group ccs-grading"}, [
      el("legend", {text: "Warnings, aggregation and appeals"}),
      labelledField("warning_rule", "Warning rule at grading", select("warning_rule", init.warning_rules)),
      el("div", {"class": "ccs-rates", "aria-live": "polite"}),
      el("div", {"class": "ccs-row"}, [
        labelledField("outlier_threshold", "Outlier threshold (% of the maximum score)",
          el("input", {type: "number", name: "outlier_threshold", step: "any",
                       min: range.outlier_threshold[0], max: range.outlier_threshold[1]}),
          "How far a score may be from the other scores of its work before the fixed rule leaves it " +
          "out (the proposal says 15–20 %); a staff re-check warns at the same distance."),
        labelledField("appeal_days", "Appeal window (days)",
          el("input", {type: "number", name: "appeal_days", step: "0.5",
                       min: range.appeal_days[0], max: range.appeal_days[1]}),
          "After grading, learners whose link did not change after the deadline may appeal for " +
          "this many days; 0 turns appeals off.")
      ]),
      labelledField("aggregation", "Aggregation", select("aggregation", init.aggregations))
    ]);
    var task = form.querySelector(".ccs-group");
    form.insertBefore(group, task.nextSibling);
    field("warning_rule").addEventListener("change", showChoiceHelp);
    field("aggregation").addEventListener("change", showChoiceHelp);
    ["reviews_per_work", "max_score", "outlier_threshold"].forEach(function (name) {
      field(name).addEventListener("input", showRatesFreshness);
    });
  }

  function showChoiceHelp() {
    box.querySelector("[data-help=warning_rule]").textContent = choiceHelp(init.warning_rules, field("warning_rule").value);
    box.querySelector("[data-help=aggregation]").textContent = choiceHelp(init.aggregations, field("aggregation").value);
    renderRates();
  }

  /** Next to the rule: how often each rule warns honest reviewers and catches careless ones, from
   * the project's simulation for the saved k, threshold and maximum score. */
  function renderRates() {
    var node = $(".ccs-rates");
    node.textContent = "";
    if (!rates) {
      node.appendChild(el("p", {"class": "ccs-help", text: "Save valid settings to see how often each rule warns."}));
      return;
    }
    var chosen = field("warning_rule").value;
    // Inline layout only: studio.css predates the table (left-aligned cells, some room between).
    var cell = "text-align: left; padding: 2px 16px 2px 0;";
    var head = el("tr", {}, ["Rule", "Honest reviewers warned", "Careless reviewers caught"].map(function (h) {
      return el("th", {scope: "col", style: cell, text: h});
    }));
    var rows = init.warning_rules.map(function (rule) {
      var measured = rates.rules[rule.value];
      return el("tr", {"class": "ccs-rate" + (rule.value === chosen ? " ccs-rate-chosen" : ""), "data-rule": rule.value}, [
        el("th", {scope: "row", style: cell, text: rule.value + (rule.value === chosen ? " (chosen)" : "")}),
        el("td", {style: cell, text: percent(measured.honest_warned)}),
        el("td", {style: cell, text: percent(measured.careless_caught)})
      ]);
    });
    node.appendChild(el("table", {"class": "ccs-rates-table"}, [
      el("caption", {"class": "ccs-help", style: "text-align: left;", text: "How often each rule warns, measured on " + rates.classes + " " + rates.scenario_text +
        " (" + rates.learners + " learners each; k = " + rates.k + ", threshold " +
        Math.round(rates.threshold * 1000) / 10 + " %, maximum " + rates.max_score + ")."}),
      el("thead", {}, [head]), el("tbody", {}, rows)]));
    if (rates.note) { node.appendChild(el("p", {"class": "ccs-help ccs-rates-note", text: rates.note})); }
    node.appendChild(el("p", {"class": "ccs-help ccs-rates-stale", hidden: true}));
    showRatesFreshness();
  }

  /** The numbers are for the saved settings: say so when the form holds other ones. */
  function showRatesFreshness() {
    var note = $(".ccs-rates-stale");
    if (!note || !rates) { return; }
    var same = numberValue("reviews_per_work") === rates.k && numberValue("max_score") === rates.max_score &&
      Math.abs(numberValue("outlier_threshold") - rates.threshold * 100) < 1e-6;
    note.hidden = same;
    note.textContent = same ? "" : "These numbers are for the saved k, threshold and maximum; save to measure the new ones.";
  }

  // ------------------------------------------------------------------ settings form

  /** The number in an input, or its raw text when it is not one (the server names the problem). */
  function numberValue(name) {
    var value = field(name).value;
    return value !== "" && !isNaN(Number(value)) ? Number(value) : value;
  }

  function fillForm(values) {
    field("display_name").value = values.display_name;
    field("submission_kind").value = values.submission_kind;
    field("max_score").value = values.max_score;
    field("reviews_per_work").value = values.reviews_per_work;
    $$("input[name=grading_policy]").forEach(function (radio) { radio.checked = radio.value === values.grading_policy; });
    DATE_FIELDS.forEach(function (name) { setDate(name, values[name]); });
    field("adjustment_days").value = values.adjustment_days;
    field("outlier_threshold").value = values.outlier_threshold;
    field("warning_rule").value = values.warning_rule;
    field("aggregation").value = values.aggregation;
    field("appeal_days").value = values.appeal_days;
    showKindHelp();
    showChoiceHelp();
  }

  function collect() {
    var policy = $$("input[name=grading_policy]").filter(function (r) { return r.checked; })[0];
    var values = {
      display_name: field("display_name").value,
      submission_kind: field("submission_kind").value,
      max_score: numberValue("max_score"),
      reviews_per_work: numberValue("reviews_per_work"),
      grading_policy: policy ? policy.value : "",
      adjustment_days: numberValue("adjustment_days"),
      outlier_threshold: numberValue("outlier_threshold"),
      warning_rule: field("warning_rule").value,
      aggregation: field("aggregation").value,
      appeal_days: numberValue("appeal_days"),
      checklist: checklistText()
    };
    DATE_FIELDS.forEach(function (name) { values[name] = dateValue(name); });
    return values;
  }

  function showKindHelp() {
    var kind = field("submission_kind").value;
    var found = init.kinds.filter(function (k) { return k.value === kind; })[0];
    box.querySelector("[data-help=submission_kind]").textContent = found ? "Learners paste " + found.help + "." : "";
  }

  /** Labels, ids and help links, made here so that two editors on one page never share ids. */
  function buildForm() {
    $$("label[data-for]").forEach(function (label) {
      var name = label.getAttribute("data-for");
      var input = label.querySelector("input") || field(name);
      if (!input || input.type === "file") { return; }
      input.id = uid + "-" + name;
      label.setAttribute("for", input.id);
      var help = box.querySelector("[data-help=" + name + "]");
      if (help) { help.id = uid + "-help-" + name; input.setAttribute("aria-describedby", help.id); }
    });
    var kinds = field("submission_kind");
    init.kinds.forEach(function (kind) { kinds.appendChild(el("option", {value: kind.value, text: kind.label})); });
    var policies = $(".ccs-policies");
    init.policies.forEach(function (policy) {
      policies.appendChild(el("label", {"class": "ccs-policy"}, [
        el("input", {type: "radio", name: "grading_policy", value: policy.value}),
        " ", el("strong", {text: policy.value}), " — ", policy.help]));
    });
    [["max_score", init.ranges.max_score], ["reviews_per_work", init.ranges.reviews_per_work],
     ["adjustment_days", init.ranges.adjustment_days]].forEach(function (pair) {
      field(pair[0]).min = pair[1][0];
      field(pair[0]).max = pair[1][1];
    });
    var zone = (window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone) || "your local time";
    $(".ccs-timezone").textContent = "Times are in your time zone (" + zone + "); they are stored in UTC. " +
      "Setting the deadline fills an empty start (= deadline) and end (= start + " + init.review_days + " days).";
    box.querySelector("[data-help=review_due]").textContent = "Empty: the start + " + init.review_days + " days.";
    if (init.started) {
      var note = $(".ccs-started");
      note.textContent = init.started_warning;
      note.hidden = false;
    }
  }

  // ------------------------------------------------------------------ saving

  function showError(error) {
    var node = $(".ccs-error");
    node.textContent = error ? error.error : "";
    node.hidden = !error;
    $$("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
    $$(".ccs-invalid").forEach(function (row) { row.classList.remove("ccs-invalid"); });
    if (!error) { return; }
    var target = null;
    if (error.field === "checklist") {
      var row = markItem(error.position);
      target = row ? row.querySelector("textarea") : $(".ccs-items");
    } else if (error.field) {
      target = field(error.field);
      if (target && target.length && !target.nodeName) { target = target[0]; }  // radio group
    }
    if (target && target.setAttribute) {
      target.setAttribute("aria-invalid", "true");
      if (target.focus) { target.focus(); }
    }
    if (node.scrollIntoView) { node.scrollIntoView({block: "nearest"}); }
  }

  function setStatus(text) { $(".ccs-status").textContent = text; }

  function save() {
    showError(null);
    setStatus("");
    var values = collect();
    if (init.started && values.checklist !== baseline && !confirmed) {
      // Reviews already made keep their checklist version; staff should know before saving.
      $(".ccs-confirm-text").textContent = init.started_warning;
      $(".ccs-confirm").hidden = false;
      $(".ccs-confirm-save").focus();
      return null;
    }
    confirmed = false;
    $(".ccs-confirm").hidden = true;
    var button = $(".ccs-save");
    button.disabled = true;
    notify("save", {state: "start", message: "Saving"});
    return call("studio_submit", {values: values}).then(function (answer) {
      rates = answer.warning_rates;
      fillForm(answer.values);
      baseline = values.checklist;
      setStatus("Saved.");
      notify("save", {state: "end"});
    }, function (error) {
      showError(error);
      notify("error", {title: "The settings were not saved", message: error.error});
    }).then(function () { button.disabled = false; });
  }

  // ------------------------------------------------------------------ start

  buildForm();
  buildGradingOptions();
  fillForm(init.values);
  if (init.preview.checklist) {
    loadChecklist(init.preview.checklist);
    baseline = checklistText();
  } else {
    // The stored checklist is unusable (e.g. bad OLX): offer its text for fixing.
    meta = {taskName: ""};
    field("import_text").value = init.values.checklist;
    $(".ccs-import").open = true;
  }
  renderItems();
  renderPreview(init.preview);
  if (init.preview.error) { showError(init.preview.error); }

  field("task_name").addEventListener("input", function () { meta.taskName = field("task_name").value; schedulePreview(); });
  field("information").addEventListener("input", function () { meta.information = field("information").value; schedulePreview(); });
  field("max_score").addEventListener("input", schedulePreview);
  field("submission_kind").addEventListener("change", showKindHelp);
  field("submission_due").addEventListener("change", fillDates);
  $$(".ccs-add button").forEach(function (button) {
    button.addEventListener("click", function () { add(button.getAttribute("data-add")); });
  });
  $(".ccs-import-paste").addEventListener("click", function () { importText(field("import_text").value, "the pasted text"); });
  $(".ccs-file").addEventListener("change", function (event) { uploadFile(event.target); });
  $(".ccs-download").addEventListener("click", download);
  form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
  $(".ccs-save").addEventListener("click", function (event) { event.preventDefault(); save(); });
  $(".ccs-cancel").addEventListener("click", function (event) { event.preventDefault(); notify("cancel", {}); });
  $(".ccs-confirm-save").addEventListener("click", function () { confirmed = true; save(); });
  $(".ccs-confirm-back").addEventListener("click", function () { $(".ccs-confirm").hidden = true; $(".ccs-save").focus(); });

  return {save: save, preview: requestPreview};
}
