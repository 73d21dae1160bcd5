/* The Studio editor's dates section (for studio.js): the three datetime-local inputs, shown in
 * the browser's time zone and sent as ISO 8601 UTC, and the T1 rule that fills an empty start
 * and end once the deadline is set. Plain JS, no build step.
 *
 * `page` is the editor's shared view (studio.js): {box, form, init, field(name), $(sel), …}.
 */
function CrossCheckStudioDates(page) {
  "use strict";  // i18n: code
  var field = page.field, init = page.init;
  var DAY_MS = 24 * 60 * 60 * 1000;

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

  var t = CrossCheckCommon.t, nt = CrossCheckCommon.nt;
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Two sentences, each whole in the catalog.
  page.$(".ccs-timezone").textContent = (zone
    ? t("Times are in your time zone (%(zone)s); they are stored in UTC.", {zone: zone})
    : t("Times are in your browser's time zone; they are stored in UTC.")) + " " +
    nt("Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s day).",
       "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s days).", init.review_days);
  page.box.querySelector("[data-help=review_due]").textContent =
    nt("Empty: the start + %(n)s day.", "Empty: the start + %(n)s days.", init.review_days);
  field("submission_due").addEventListener("change", fillDates);

  return {
    FIELDS: ["submission_start", "submission_due", "review_start", "review_due"],
    setDate: setDate,
    dateValue: dateValue,
    fillDates: fillDates
  };
}
