/* What the learner page, the course overview page and the Studio editor share: translation,
 * building DOM nodes, calling handlers, formatting dates, points and shares, the next date's
 * countdown, and the table of the warning rules' rates. */
var CrossCheckCommon = (function () {
  "use strict";  // i18n: code

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

  /** A grade's status (the API's code) in words for staff tables. */
  function gradeStatus(code) {
    var words = {graded: t("graded"), reviews_unfinished: t("own reviews unfinished"),
                 no_reviews: t("no reviews received")};
    return words[code] || code;
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

  /** The text of sanitized HTML (a checklist item's `html`), parsed in an inert document: for
   * accessible names ("Points for ‘Header is sticky’") and lists of item titles. */
  function plainText(html) {
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    return doc.body.textContent.replace(/\s+/g, " ").trim();
  }

  /** A translated sentence whose %(name)s placeholders are DOM nodes (a link inside a sentence):
   * `nodes(t("Submitted: %(link)s"), {link: anchor})` → [text, anchor, text]. The sentence is
   * translated whole; its text parts become text nodes, never markup. */
  function nodes(text, params) {
    var parts = [], last = 0, pattern = /%\((\w+)\)s/g, match;
    while ((match = pattern.exec(text)) !== null) {
      if (match.index > last) { parts.push(text.slice(last, match.index)); }
      var value = params && Object.prototype.hasOwnProperty.call(params, match[1]) ? params[match[1]] : match[0];
      parts.push(typeof value === "number" ? fmtNumber(value) : value);
      last = pattern.lastIndex;
    }
    if (last < text.length) { parts.push(text.slice(last)); }
    return parts;
  }

  var uid = 0;
  /** A page-unique id with a readable prefix (several blocks may share one page). */
  function uniqueId(prefix) { uid += 1; return prefix + "-" + uid; }

  // ------------------------------------------------------------------ tabs (WAI-ARIA tabs pattern)

  /** Tabs over existing panels. `tabs`: [{id, label, panel, onShow}]; the tab list gets role=tablist,
   * each button role=tab (aria-selected, aria-controls, roving tabindex), each panel role=tabpanel
   * (aria-labelledby, focusable). Arrow keys, Home and End move between tabs and show the tab
   * (automatic activation). Answers {select(id, focus), current(), tab(id)}. */
  function tabList(list, tabs, onSelect) {
    list.setAttribute("role", "tablist");
    list.textContent = "";
    var current = null;
    var buttons = tabs.map(function (tab) {
      var tabId = uniqueId("cc-tab-" + tab.id), panelId = uniqueId("cc-panel-" + tab.id);
      var button = el("button", {type: "button", role: "tab", id: tabId, "aria-controls": panelId,
                                 "aria-selected": "false", tabindex: "-1", "data-tab": tab.id,
                                 "class": "cc-tab cc-tab-" + tab.id + (tab.className ? " " + tab.className : ""),
                                 onclick: function () { select(tab.id); }}, [el("span", {"class": "cc-tab-label", text: tab.label}),
                                                                            el("span", {"class": "cc-tab-badge"})]);
      tab.panel.id = panelId;
      tab.panel.setAttribute("role", "tabpanel");
      tab.panel.setAttribute("aria-labelledby", tabId);
      tab.panel.setAttribute("tabindex", "0");
      tab.panel.hidden = true;
      list.appendChild(button);
      return button;
    });
    function select(id, focus) {
      tabs.forEach(function (tab, index) {
        var on = tab.id === id;
        buttons[index].setAttribute("aria-selected", on ? "true" : "false");
        buttons[index].tabIndex = on ? 0 : -1;
        tab.panel.hidden = !on;
        if (on && focus) { buttons[index].focus(); }
      });
      var changed = current !== id;
      current = id;
      tabs.forEach(function (tab) { if (tab.id === id && tab.onShow) { tab.onShow(changed); } });
      if (onSelect) { onSelect(id); }
    }
    list.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var next = {ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1}[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      select(tabs[next].id, true);
    });
    return {
      select: select,
      current: function () { return current; },
      /** Set the small text after a tab's label ("2 of 4", "!"), read as part of its name. */
      badge: function (id, text) {
        tabs.forEach(function (tab, index) {
          if (tab.id === id) { buttons[index].querySelector(".cc-tab-badge").textContent = text || ""; }
        });
      }
    };
  }

  // ------------------------------------------------------------------ staff tables

  var PER_PAGE_CHOICES = [10, 25, 50, 100, 200];

  /** A staff table the server sorts, searches and pages (issue 15): a task of 10,000 learners
   * sends one page of rows. Its search box, sortable headers (aria-sort) and pager stay in place
   * while a page loads, so the keyboard focus stays where it was; an older answer that comes late
   * is dropped.
   *
   *   columns    [{label, sort (the server's sort name; none: not sortable), cell(row) → text or node}]
   *   answer     the first answer (its rows, page, per_page, pages, total, sort, order, search)
   *   options    rows(answer) → its rows, fetch(query) → a promise of the next answer,
   *              showError(text), onQuery(query) (the page shown, to keep across re-renders),
   *              rowAttrs(row), tableClass, caption, searchLabel, pagerLabel,
   *              countText(answer, first, last) → the line above the table
   * Answers the table's node. */
  function pagedTable(columns, answer, options) {
    var query = {};
    var loading = 0;
    var ths = columns.map(function (column) {
      if (!column.sort) { return el("th", {scope: "col", text: column.label}); }
      return el("th", {scope: "col"}, [el("button", {type: "button", "class": "cc-sort", "data-sort": column.sort,
                                                      text: column.label, onclick: function () {
        var order = query.sort === column.sort && query.order === "asc" ? "desc" : "asc";  // i18n: code
        load({sort: column.sort, order: order, page: 1});
      }})]);
    });
    var tbody = el("tbody");
    var table = el("table", {"class": "cc-data-table " + (options.tableClass || "")}, [
      el("caption", {text: options.caption}), el("thead", {}, [el("tr", {}, ths)]), tbody]);
    var region = el("div", {"class": "cc-table-scroll", role: "region", tabindex: "0", "aria-label": options.caption},
                    [table]);
    var searchId = uniqueId("cc-staff-search"), perPageId = uniqueId("cc-per-page");
    var box = el("input", {type: "search", id: searchId, "class": "cc-filter-input cc-staff-search-input",
                           autocomplete: "off", value: answer.search || ""});
    var typing = null;
    box.addEventListener("input", function () {  // searches as staff type, once they pause
      clearTimeout(typing);
      typing = setTimeout(function () { load({search: box.value.trim(), page: 1}); }, 350);
    });
    var form = el("form", {"class": "cc-filter cc-staff-search", role: "search", onsubmit: function (event) {
      event.preventDefault();
      clearTimeout(typing);
      load({search: box.value.trim(), page: 1});
    }}, [el("label", {"for": searchId, text: options.searchLabel}), " ", box, " ",
         el("button", {type: "submit", "class": "cc-staff-search-button", text: t("Search")})]);
    var count = el("p", {"class": "cc-row-count", role: "status"});
    var perPage = el("select", {id: perPageId, "class": "cc-per-page", onchange: function () {
      load({per_page: Number(perPage.value), page: 1});
    }}, PER_PAGE_CHOICES.map(function (n) { return el("option", {value: String(n), text: String(n)}); }));
    var prev = el("button", {type: "button", "class": "cc-page-prev", text: t("Previous page"),
                             onclick: function () { load({page: query.page - 1}); }});
    var next = el("button", {type: "button", "class": "cc-page-next", text: t("Next page"),
                             onclick: function () { load({page: query.page + 1}); }});
    var status = el("span", {"class": "cc-page-status"});
    var pager = el("nav", {"class": "cc-pager", "aria-label": options.pagerLabel}, [
      prev, " ", status, " ", next, " ",
      el("label", {"for": perPageId, text: t("Rows per page")}), " ", perPage]);

    function fill(fresh) {
      query = {page: fresh.page, per_page: fresh.per_page, sort: fresh.sort, order: fresh.order, search: fresh.search};
      if (options.onQuery) { options.onQuery(query); }
      var rows = options.rows(fresh);
      tbody.textContent = "";
      rows.forEach(function (row) {
        tbody.appendChild(el("tr", options.rowAttrs ? options.rowAttrs(row) : {}, columns.map(function (column) {
          var content = column.cell(row);
          return typeof content === "string" ? el("td", {text: content}) : el("td", {}, [content]);
        })));
      });
      ths.forEach(function (th, i) {
        if (columns[i].sort && columns[i].sort === fresh.sort) {
          th.setAttribute("aria-sort", fresh.order === "desc" ? "descending" : "ascending");
        } else { th.removeAttribute("aria-sort"); }
      });
      var first = (fresh.page - 1) * fresh.per_page + 1;
      count.textContent = options.countText(fresh, first, first + rows.length - 1);
      status.textContent = t("Page %(page)s of %(pages)s", {page: fresh.page, pages: fresh.pages});
      perPage.value = String(fresh.per_page);
      var focused = document.activeElement;
      prev.disabled = fresh.page <= 1;
      next.disabled = fresh.page >= fresh.pages;
      // A pager button that just turned off had the focus: it moves to the other one, not the page's top.
      if ((focused === prev && prev.disabled) || (focused === next && next.disabled)) {
        var other = focused === prev ? next : prev;
        (other.disabled ? box : other).focus();
      }
    }

    function load(changes) {
      var asked = {};
      Object.keys(query).forEach(function (key) { asked[key] = key in changes ? changes[key] : query[key]; });
      var mine = ++loading;
      region.setAttribute("aria-busy", "true");
      options.showError("");
      return options.fetch(asked).then(function (fresh) {
        if (mine !== loading) { return; }
        region.removeAttribute("aria-busy");
        fill(fresh);
      }).catch(function (err) { region.removeAttribute("aria-busy"); options.showError(err.message); });
    }

    fill(answer);
    var node = el("div", {"class": "cc-data-table-wrap " + (options.wrapClass || "")}, [form, count, region, pager]);
    node.load = load;  // for a caller that shows another page than the answer's (the one staff were on)
    return node;
  }

  /** A table for up to thousands of rows: sticky headers, sort by a column (a button in each
   * header, aria-sort on the header), and a text box filtering the rows by `filter(row)`.
   *
   *   columns   [{label, value(row) → sort key (number or text), cell(row) → text or node,
   *              className}]
   *   rows      the data rows; rowAttrs(row) → attributes of its <tr>
   *   options   tableClass, caption, filterLabel, filter(row) → text matched by the box (none: no
   *             box), sortable (default true), regionLabel (the scrolling region's name)
   */
  function dataTable(columns, rows, options) {
    options = options || {};
    var sortable = options.sortable !== false;
    var sortIndex = -1, ascending = true;
    var trs = rows.map(function (row) {
      return el("tr", options.rowAttrs ? options.rowAttrs(row) : {}, columns.map(function (column) {
        var content = column.cell(row);
        var attrs = {"class": column.className || null};
        if (column.rowHeader) { attrs.scope = "row"; }
        if (typeof content === "string" || typeof content === "number") { attrs.text = String(content); content = null; }
        return el(column.rowHeader ? "th" : "td", attrs, content ? [content] : []);
      }));
    });
    var ths = columns.map(function (column, index) {
      var th = el("th", {scope: "col", "class": column.className || null});
      if (sortable && column.value) {
        th.appendChild(el("button", {type: "button", "class": "cc-sort", text: column.label,
                                     onclick: function () { sortBy(index); }}));
      } else {
        th.textContent = column.label;
      }
      return th;
    });
    var tbody = el("tbody", {}, trs);
    var table = el("table", {"class": "cc-data-table " + (options.tableClass || "")}, [
      options.caption ? el("caption", {text: options.caption}) : null,
      el("thead", {}, [el("tr", {}, ths)]), tbody]);
    var count = el("span", {"class": "cc-row-count", role: "status"});
    function showCount(shown) {
      count.textContent = nt("%(shown)s of %(n)s row shown", "%(shown)s of %(n)s rows shown", rows.length,
                             {shown: shown});
    }
    function sortBy(index) {
      ascending = sortIndex === index ? !ascending : true;
      sortIndex = index;
      var key = columns[index].value;
      var order = rows.map(function (row, i) { return i; });
      order.sort(function (a, b) {
        var x = key(rows[a]), y = key(rows[b]);
        var missingX = x === null || x === undefined || x === "", missingY = y === null || y === undefined || y === "";
        if (missingX !== missingY) { return missingX ? 1 : -1; }  // empty cells last either way
        var diff = typeof x === "number" && typeof y === "number" ? x - y
          : String(x).localeCompare(String(y), language, {numeric: true, sensitivity: "base"});
        return (ascending ? diff : -diff) || a - b;
      });
      order.forEach(function (i) { tbody.appendChild(trs[i]); });
      ths.forEach(function (th, i) {
        if (i === index) { th.setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
        else { th.removeAttribute("aria-sort"); }
      });
    }
    var children = [];
    if (options.filter) {
      var boxId = uniqueId("cc-filter");
      var box = el("input", {type: "search", id: boxId, "class": "cc-filter-input", autocomplete: "off",
                             oninput: function () {
                               var needle = box.value.trim().toLocaleLowerCase(language), shown = 0;
                               rows.forEach(function (row, i) {
                                 var hit = !needle || options.filter(row).toLocaleLowerCase(language).indexOf(needle) >= 0;
                                 trs[i].hidden = !hit;
                                 if (hit) { shown += 1; }
                               });
                               showCount(shown);
                             }});
      children.push(el("div", {"class": "cc-filter"}, [
        el("label", {"for": boxId, text: options.filterLabel || t("Filter by learner")}), " ", box, " ", count]));
    }
    showCount(rows.length);
    children.push(el("div", {"class": "cc-table-scroll", role: "region", tabindex: "0",
                             "aria-label": options.regionLabel || options.caption || t("Table")}, [table]));
    var wrap = el("div", {"class": "cc-data-table-wrap"}, children);
    wrap.sortBy = sortBy;
    return wrap;
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

  /** A share (0..1) as a percentage for the language, whole unless `digits` are asked for:
   * 0.6871 → "69%" / "69 %". (Messages never hold a bare "%": it is not a valid placeholder.) */
  function percent(share, digits) {
    return new Intl.NumberFormat(language, {style: "percent", maximumFractionDigits: digits || 0}).format(share);
  }

  // ------------------------------------------------------------------ the next date and its countdown

  // What each phase waits for, in words (the server's `next_date`, or the setting the block's
  // header reads, gives the date): the block's header and the course overview say it the same way.
  var NEXT_DATE = {
    not_open: function (time, date) {
      return time ? t("Submission opens in %(time)s (%(date)s).", {time: time, date: date})
                  : t("Submission opens now (%(date)s).", {date: date}); },
    submission: function (time, date) {
      return time ? t("Submission closes in %(time)s (%(date)s).", {time: time, date: date})
                  : t("Submission closes now (%(date)s).", {date: date}); },
    waiting: function (time, date) {
      return time ? t("The cross-check starts in %(time)s (%(date)s).", {time: time, date: date})
                  : t("The cross-check starts now (%(date)s).", {date: date}); },
    review: function (time, date) {
      return time ? t("The cross-check ends in %(time)s (%(date)s).", {time: time, date: date})
                  : t("The cross-check ends now (%(date)s).", {date: date}); },
    adjustment: function (time, date) {
      return time ? t("The adjustment period ends in %(time)s (%(date)s).", {time: time, date: date})
                  : t("The adjustment period ends now (%(date)s).", {date: date}); }
  };

  /** The time from `now` to `iso` ("2 d 3 h", "3 h 5 min", "12 min"); "" once it has come. */
  function timeLeft(iso, now) {
    var left = new Date(iso) - now;
    if (isNaN(left) || left <= 0) { return ""; }
    var minutes = Math.floor(left / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    if (days) { return t("%(days)s d %(hours)s h", {days: days, hours: hours}); }
    if (hours) { return t("%(hours)s h %(minutes)s min", {hours: hours, minutes: minutes % 60}); }
    return t("%(minutes)s min", {minutes: minutes % 60});
  }

  /** The sentence of the date `phase` waits for, with the countdown from `now`
   * ("Submission closes in 2 d 3 h (5 Dec 2026, 18:00)."); "" without a date. */
  function nextDateText(phase, iso, now) {
    var words = NEXT_DATE[phase];
    if (!words || !iso || isNaN(new Date(iso))) { return ""; }
    return words(timeLeft(iso, now), fmtDate(iso));
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

  return {t: t, nt: nt, gradeStatus: gradeStatus, setLanguage: setLanguage, language: function () { return language; },
          fmtNumber: fmtNumber, el: el, plainText: plainText, nodes: nodes, uniqueId: uniqueId, tabList: tabList,
          dataTable: dataTable, pagedTable: pagedTable, uniqueId: uniqueId, csrfToken: csrfToken, handlerCaller: handlerCaller,
          fmtDate: fmtDate, round2: round2, fmtPoints: fmtPoints, percent: percent, ratesTable: ratesTable,
          timeLeft: timeLeft, nextDateText: nextDateText};
})();
