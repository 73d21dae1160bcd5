/* What the learner page and the Studio editor share: translation, building DOM nodes, calling
 * handlers, formatting dates, points and shares, and the table of the warning rules' rates. */
var CrossCheckCommon = (function () {
  "use strict";

  // ------------------------------------------------------------------ language

  // The page's language ("en", "ru"): each page's init data sets it (setLanguage); dates and
  // numbers are formatted for it.
  var language = "en";

  function setLanguage(code) { if (code) { language = code; } }

  /** The JS catalog of the page's language (pages.py loads it before these scripts), if any. */
  function catalog() { return window.CrossCheckI18N || null; }

  /** Fill %(name)s placeholders from `params` (numbers formatted for the language). */
  function fill(text, params) {
    if (!params) { return text; }
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      if (!Object.prototype.hasOwnProperty.call(params, name)) { return whole; }
      var value = params[name];
      return typeof value === "number" ? fmtNumber(value) : String(value);
    });
  }

  /** `message` in the page's language, its %(name)s placeholders filled from `params`.
   * Every text a person reads goes through t or nt (`make translations` extracts them). */
  function t(message, params) {
    var i18n = catalog();
    return fill(i18n ? i18n.gettext(message) : message, params);
  }

  /** The form of singular/plural for the count n in the page's language (Russian has three:
   * 1 работа, 2 работы, 5 работ); %(n)s is the count. */
  function nt(singular, plural, n, params) {
    var i18n = catalog();
    var text = i18n ? i18n.ngettext(singular, plural, n) : (n === 1 ? singular : plural);
    var values = {n: n};
    Object.keys(params || {}).forEach(function (key) { values[key] = params[key]; });
    return fill(text, values);
  }

  /** A number with at most two decimals and the language's separators ("12.5", "12,5"). */
  function fmtNumber(value) {
    return new Intl.NumberFormat(language, {maximumFractionDigits: 2}).format(value);
  }

  /** A DOM element with attributes, `text` (textContent), children and handlers (onX). `html` is
   * only for text the server has sanitized (checklist items); nothing a learner wrote goes there. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === "text") { node.textContent = value; }
      else if (key === "html") { node.innerHTML = value; }
      else if (key.slice(0, 2) === "on") { node.addEventListener(key.slice(2), value); }
      else { node.setAttribute(key, value === true ? "" : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /** An Error carrying the handler's JSON error body ({error, code, …}) as its own fields. */
  function failure(body) {
    var err = new Error(body.error);
    Object.keys(body).forEach(function (key) { err[key] = body[key]; });
    return err;
  }

  /** call(handler, body) for one block: POSTs JSON with the CSRF header; resolves with the answer,
   * rejects with failure(answer) on a 4xx/5xx or when the server cannot be reached. */
  function handlerCaller(runtime, root) {
    return function call(handler, body) {
      return fetch(runtime.handlerUrl(root, handler), {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify(body || {})
      }).then(function (response) {
        return response.json().catch(function () {
          return {error: t("The server answered %(status)s.", {status: String(response.status)}),
                  code: "http_" + response.status};
        }).then(function (data) {
          if (!response.ok) { throw failure(data); }
          return data;
        });
      }, function () {
        throw failure({error: t("The server could not be reached. Check the connection and try again."),
                       code: "network"});
      });
    };
  }

  // ------------------------------------------------------------------ formatting

  /** An ISO 8601 date in the page's language and the browser's time zone ("1 Dec 2026, 22:25",
   * "1 дек. 2026 г., 22:25"); text that is not a date as it is. */
  function fmtDate(iso) {
    if (!iso) { return ""; }
    var date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString(language, {dateStyle: "medium", timeStyle: "short"});
  }

  /** Points rounded to two decimals, as a number: for points that are still compared or added
   * (a review total against the maximum); fmtPoints for text. */
  function round2(value) { return Math.round(value * 100) / 100; }

  /** Points as text, two decimals at most, for the language ("12.5", "12,5"). With `missing`
   * (the staff analytics pass "–"), null and undefined show as it; without, a null shows as "0". */
  function fmtPoints(value, missing) {
    if (missing !== undefined && (value === null || value === undefined)) { return missing; }
    return fmtNumber(round2(value || 0));
  }

  /** A share (0..1) as a whole percentage for the language: 0.6871 → "69%" / "69 %". */
  function percent(share) {
    return new Intl.NumberFormat(language, {style: "percent", maximumFractionDigits: 0}).format(share);
  }

  // ------------------------------------------------------------------ the warning rules' rates

  /** A table of warning rules beside their simulated rates: per rule, the share of honest
   * reviewers it warns and of careless reviewers it catches (`simulated.rules[rule]`, the
   * object studio_submit answers as warning_rates and staff_analytics as simulated). The Studio
   * editor and the staff analytics both draw it; what differs comes in:
   *
   *   rows      [{rule, label, cells}]: the rule (data-rule), its row heading, and the texts of
   *             any columns of the page's own between the heading and the rates
   *   options   simulated (null: the rates show "–"), marked (the rule to mark) and mark (the text
   *             added to its heading), tableClass, rowClass, markedClass, columns (headings of
   *             the page's own columns), rateHeads (the two rates' headings), caption, captionClass
   */
  function ratesTable(rows, options) {
    var rateHeads = options.rateHeads || [t("Honest reviewers warned"), t("Careless reviewers caught")];
    var head = el("tr", {}, [t("Rule")].concat(options.columns || [], rateHeads).map(function (h) {
      return el("th", {scope: "col", text: h});
    }));
    var body = rows.map(function (row) {
      var measured = options.simulated ? options.simulated.rules[row.rule] : null;
      var marked = row.rule === options.marked;
      return el("tr", {"class": options.rowClass + (marked ? " " + options.markedClass : ""), "data-rule": row.rule},
        [el("th", {scope: "row", text: row.label + (marked ? options.mark : "")})]
          .concat((row.cells || []).map(function (text) { return el("td", {text: text}); }))
          .concat([el("td", {text: measured ? percent(measured.honest_warned) : "–"}),
                   el("td", {text: measured ? percent(measured.careless_caught) : "–"})]));
    });
    return el("table", {"class": options.tableClass}, [
      options.caption ? el("caption", {"class": options.captionClass, text: options.caption}) : null,
      el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  return {t: t, nt: nt, setLanguage: setLanguage, language: function () { return language; },
          fmtNumber: fmtNumber, el: el, csrfToken: csrfToken, handlerCaller: handlerCaller,
          fmtDate: fmtDate, round2: round2, fmtPoints: fmtPoints, percent: percent, ratesTable: ratesTable};
})();
