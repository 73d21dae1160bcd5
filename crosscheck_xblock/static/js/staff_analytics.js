/* The staff analytics view: a table of the works, an SVG histogram of the grades and an SVG bar
 * chart of how far each reviewer scores from the others. Plain JS, no library; every value from
 * the server goes into the page as text (textContent), never as markup. */
var CrossCheckAnalytics = (function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  var percent = CrossCheckCommon.percent;

  /** Points in the staff tables and charts: a missing value (no self-check, no grade yet) shows "–". */
  function fmt(value) { return CrossCheckCommon.fmtPoints(value, "–"); }

  function histogram(data) {
    var bins = data.histogram.bins;
    var width = 420, height = 180, pad = 24, barW = (width - 2 * pad) / bins.length;
    var top = Math.max.apply(null, bins.map(function (b) { return b.count; }).concat([1]));
    var bars = bins.map(function (bin, i) {
      var h = (height - 2 * pad) * bin.count / top;
      var x = pad + i * barW, y = height - pad - h;
      return svg("g", {}, [
        svg("rect", {x: x + 1, y: y, width: barW - 2, height: h, "class": "cc-bar", fill: "#4a78b5"},
            [svg("title", {text: fmt(bin.from) + "–" + fmt(bin.to) + ": " + bin.count})]),
        bin.count ? svg("text", {x: x + barW / 2, y: y - 3, "text-anchor": "middle", "font-size": 10, text: String(bin.count)}) : null,
        svg("text", {x: x + barW / 2, y: height - pad + 12, "text-anchor": "middle", "font-size": 9, text: fmt(bin.from)})
      ]);
    });
    return svg("svg", {"class": "cc-histogram", width: width, height: height, role: "img",
                       viewBox: "0 0 " + width + " " + height},
      [svg("title", {text: "Grades (" + data.histogram.graded + " final, " + data.histogram.expected + " expected)"}),
       svg("line", {x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#555"})].concat(bars));
  }

  function agreementChart(data) {
    var rows = data.reviewers;
    var width = 420, rowH = 16, labelW = 120, height = Math.max(rows.length, 1) * rowH + 20;
    var half = (width - labelW - 10) / 2, mid = labelW + half;
    var top = Math.max.apply(null, rows.map(function (r) { return Math.abs(r.mean_deviation); }).concat([1]));
    var bars = rows.map(function (r, i) {
      var w = half * Math.abs(r.mean_deviation) / top, y = 10 + i * rowH;
      return svg("g", {}, [
        svg("text", {x: labelW - 4, y: y + 11, "text-anchor": "end", "font-size": 10, text: r.reviewer_learner}),
        svg("rect", {x: r.mean_deviation < 0 ? mid - w : mid, y: y + 2, width: w, height: rowH - 4,
                     "class": r.evidence_flag ? "cc-bar cc-bar-flagged" : "cc-bar",
                     fill: r.evidence_flag ? "#c0392b" : "#4a78b5"},
            [svg("title", {text: r.reviewer_learner + ": " + fmt(r.mean_deviation) + " points vs the others"})])
      ]);
    });
    return svg("svg", {"class": "cc-agreement-chart", width: width, height: height, role: "img",
                       viewBox: "0 0 " + width + " " + height},
      [svg("title", {text: "Mean signed deviation of each reviewer from the other reviewers"}),
       svg("line", {x1: mid, y1: 0, x2: mid, y2: height, stroke: "#555"})].concat(bars));
  }

  function flags(work, threshold) {
    var rule = Math.round(threshold * 1000) / 10 + " % rule";
    var parts = [];
    if (work.ideal) { parts.push("ideal"); }
    if (work.needs_staff) { parts.push("needs staff"); }
    if (work.author_warned_by_fixed_rule) { parts.push("self-check off (" + rule + ")"); }
    work.reviews.forEach(function (r) {
      if (r.excluded_by_fixed_rule) { parts.push("reviewer " + r.reviewer + " excluded (" + rule + ")"); }
      if (r.evidence_flag) { parts.push("reviewer " + r.reviewer + " flagged: " + r.evidence_flag); }
    });
    return parts.join("; ");
  }

  /** This task's warnings under each rule beside the rule's simulated rates, and the rule in use:
   * staff read "1 of 5 reviewers" against "warns 70 % of honest reviewers". */
  function ruleComparison(data) {
    var el = CrossCheckCommon.el, w = data.warnings, sim = data.simulated;
    var threshold = Math.round(data.threshold * 1000) / 10;
    function counted(count, share) {
      return count + " of " + w.reviewers + (share === null ? "" : " (" + percent(share) + ")");
    }
    // The same table as the Studio editor's, with this task's own counts beside the rates.
    var table = CrossCheckCommon.ratesTable([
      {rule: "fixed", label: "fixed (" + threshold + " %)",
       cells: [counted(w.fixed_rule, w.fixed_rule_share) + ", and " + w.fixed_rule_authors + " authors"]},
      {rule: "evidence", label: "evidence", cells: [counted(w.evidence_rule, w.evidence_rule_share)]}
    ], {
      simulated: sim,
      marked: data.warning_rule, mark: " (used)",
      tableClass: "cc-staff-table cc-analytics-rules-table", rowClass: "cc-rule", markedClass: "cc-rule-used",
      columns: ["Reviewers it warns in this task"],
      rateHeads: ["Simulated: honest reviewers warned", "Simulated: careless reviewers caught"]
    });
    var written = Object.keys(w.written || {}).filter(function (kind) { return w.written[kind]; })
      .map(function (kind) { return w.written[kind] + " " + kind.replace(/_/g, " "); });
    return el("div", {"class": "cc-analytics-rules"}, [
      el("h4", {text: "Warning rules"}),
      el("p", {"class": "cc-analytics-rule-used", text: data.warning_rule === "none"
        ? "This task warns nobody at grading (rule: none)."
        : "This task uses the " + data.warning_rule + " rule at grading: " + data.warning_rule_text}),
      table,
      el("p", {"class": "cc-note cc-analytics-simulated", text: sim
        ? "Simulated: " + sim.classes + " " + sim.scenario_text + " (" + sim.learners + " learners each; k = " +
          sim.k + ", threshold " + threshold + " %, maximum " + sim.max_score + ")." + (sim.note ? " " + sim.note : "")
        : "No simulation for these settings."}),
      el("p", {"class": "cc-note cc-analytics-written", text: "Warnings written so far: " +
        (written.length ? written.join(", ") : "none") + "."})
    ]);
  }

  /** Draw `data` (the staff_analytics answer) into `container`; `links` are [{href, text}]. */
  function render(container, data, links) {
    var el = CrossCheckCommon.el;
    container.textContent = "";
    container.appendChild(el("h3", {text: "Staff: analytics"}));
    if (links && links.length) {  // the staff section shows them already; other callers may pass some
      container.appendChild(el("p", {"class": "cc-analytics-links"}, links.map(function (link, i) {
        return el("span", {}, [i ? " · " : null, el("a", {href: link.href, download: "", text: link.text})]);
      })));
    }
    if (data.message) { container.appendChild(el("p", {"class": "cc-note cc-analytics-message", text: data.message})); }
    var w = data.warnings;
    container.appendChild(el("p", {"class": "cc-analytics-warnings", text:
      "Warnings among " + w.reviewers + " reviewers: the fixed " + Math.round(data.threshold * 100) +
      " % rule warns " + w.fixed_rule + " (and " + w.fixed_rule_authors + " authors); the evidence rule warns " +
      w.evidence_rule + "."}));
    container.appendChild(ruleComparison(data));
    var head = el("tr", {}, ["Work", "Self-check", "Reviewer totals", "Largest spread", "Grade", "Ideal / flags"].map(
      function (h) { return el("th", {text: h}); }));
    var rows = data.works.map(function (work) {
      var grade = work.grade ? (work.grade.points === null ? work.grade.status : work.grade.points + " / " + work.grade.max)
                             : (work.expected === null ? "" : "expected " + fmt(work.expected));
      return el("tr", {}, [
        el("td", {text: work.learner}),
        el("td", {text: fmt(work.self_check)}),
        el("td", {text: work.reviews.map(function (r) { return fmt(r.total) + (r.excluded_by_fixed_rule ? "*" : ""); }).join(", ")}),
        el("td", {text: fmt(work.largest_spread)}),
        el("td", {text: grade}),
        el("td", {text: flags(work, data.threshold)})
      ]);
    });
    container.appendChild(el("table", {"class": "cc-staff-table cc-analytics-table"},
                             [el("thead", {}, [head]), el("tbody", {}, rows)]));
    container.appendChild(el("h4", {text: "Grades (final, or expected with the task's policy, aggregation and warning rule)"}));
    container.appendChild(histogram(data));
    container.appendChild(el("h4", {text: "Reviewers: mean points above (right) or below (left) the other reviewers"}));
    container.appendChild(agreementChart(data));
  }

  return {render: render};
})();
