
            (function(global){
                var CrossCheckI18N = {
                  init: function() {
                    
'use strict';
{
  const globals = this;
  const django = globals.django || (globals.django = {});

  
  django.pluralidx = function(n) {
    const v = (n != 1);
    if (typeof v === 'boolean') {
      return v ? 1 : 0;
    } else {
      return v;
    }
  };
  

  /* gettext library */

  django.catalog = django.catalog || {};
  
  const newcatalog = {
    "%(file)s: %(error)s": "%(file)s: %(error)s",
    "%(file)s: the file could not be read.": "%(file)s: the file could not be read.",
    "%(n)s item (at most %(max)s).": [
      "%(n)s item (at most %(max)s).",
      "%(n)s items (at most %(max)s)."
    ],
    "%(policy)s: %(text)s": "%(policy)s: %(text)s",
    "%(rule)s (chosen)": "%(rule)s (chosen)",
    "%(start)s \u2013 %(end)s": "%(start)s \u2013 %(end)s",
    "After grading, learners whose link did not change after the deadline may appeal for this many days; 0 turns appeals off.": "After grading, learners whose link did not change after the deadline may appeal for this many days; 0 turns appeals off.",
    "Aggregation": "Aggregation",
    "Appeal window (days)": "Appeal window (days)",
    "Careless reviewers caught": "Careless reviewers caught",
    "Cross-check": "Cross-check",
    "Delete": "Delete",
    "Delete item %(n)s (no text yet)": "Delete item %(n)s (no text yet)",
    "Delete item %(n)s \u2018%(text)s\u2019": "Delete item %(n)s \u2018%(text)s\u2019",
    "Empty: the start + %(n)s day.": [
      "Empty: the start + %(n)s day.",
      "Empty: the start + %(n)s days."
    ],
    "Enter a maximum score to compare the totals.": "Enter a maximum score to compare the totals.",
    "Grading policy": "Grading policy",
    "Honest reviewers warned": "Honest reviewers warned",
    "How far a score may be from the other scores of its work before the fixed rule leaves it out (the proposal says 15\u201320 %); a staff re-check warns at the same distance.": "How far a score may be from the other scores of its work before the fixed rule leaves it out (the proposal says 15\u201320 %); a staff re-check warns at the same distance.",
    "How often each rule warns, measured on %(n)s simulated class of %(learners)s learners (k = %(k)s, threshold %(threshold)s, maximum %(max)s).": [
      "How often each rule warns, measured on %(n)s simulated class of %(learners)s learners (k = %(k)s, threshold %(threshold)s, maximum %(max)s).",
      "How often each rule warns, measured on %(n)s simulated classes of %(learners)s learners each (k = %(k)s, threshold %(threshold)s, maximum %(max)s)."
    ],
    "Imported %(n)s item from %(file)s. Check it, then save.": [
      "Imported %(n)s item from %(file)s. Check it, then save.",
      "Imported %(n)s items from %(file)s. Check them, then save."
    ],
    "Imported %(n)s item from the pasted text. Check it, then save.": [
      "Imported %(n)s item from the pasted text. Check it, then save.",
      "Imported %(n)s items from the pasted text. Check them, then save."
    ],
    "Item %(n)s added at the end; type its text.": "Item %(n)s added at the end; type its text.",
    "Item %(n)s deleted.": "Item %(n)s deleted.",
    "Item %(n)s \u2018%(text)s\u2019 deleted.": "Item %(n)s \u2018%(text)s\u2019 deleted.",
    "Item moved to position %(n)s.": "Item moved to position %(n)s.",
    "Item \u2018%(text)s\u2019 moved to position %(n)s.": "Item \u2018%(text)s\u2019 moved to position %(n)s.",
    "Learners paste %(what)s.": "Learners paste %(what)s.",
    "Learners submit": "Learners submit",
    "Maximum score": "Maximum score",
    "Move down": "Move down",
    "Move item %(n)s (no text yet) down": "Move item %(n)s (no text yet) down",
    "Move item %(n)s (no text yet) up": "Move item %(n)s (no text yet) up",
    "Move item %(n)s \u2018%(text)s\u2019 down": "Move item %(n)s \u2018%(text)s\u2019 down",
    "Move item %(n)s \u2018%(text)s\u2019 up": "Move item %(n)s \u2018%(text)s\u2019 up",
    "Move up": "Move up",
    "Not saved: see the message at the top.": "Not saved: see the message at the top.",
    "Outlier threshold (% of the maximum score)": "Outlier threshold (% of the maximum score)",
    "Penalty": "Penalty",
    "Points for item %(n)s (no text yet)": "Points for item %(n)s (no text yet)",
    "Points for item %(n)s \u2018%(text)s\u2019": "Points for item %(n)s \u2018%(text)s\u2019",
    "Preview only: nothing was sent or saved.": "Preview only: nothing was sent or saved.",
    "Preview updated: %(n)s item.": [
      "Preview updated: %(n)s item.",
      "Preview updated: %(n)s items."
    ],
    "Reading %(file)s\u2026": "Reading %(file)s\u2026",
    "Reading the pasted text\u2026": "Reading the pasted text\u2026",
    "Reviews per work": "Reviews per work",
    "Rule": "Rule",
    "Save valid settings to see how often each rule warns.": "Save valid settings to see how often each rule warns.",
    "Saved.": "Saved.",
    "Saving\u2026": "Saving\u2026",
    "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s day).": [
      "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s day).",
      "Setting the deadline fills an empty start (= deadline) and end (= start + %(n)s days)."
    ],
    "Submission deadline": "Submission deadline",
    "Submit review (preview: nothing is sent)": "Submit review (preview: nothing is sent)",
    "Subtask": "Subtask",
    "Subtitle": "Subtitle",
    "Text of item %(n)s": "Text of item %(n)s",
    "The pasted text: %(error)s": "The pasted text: %(error)s",
    "The review form": "The review form",
    "The server answered %(status)s.": "The server answered %(status)s.",
    "The server could not be reached. Check the connection and try again.": "The server could not be reached. Check the connection and try again.",
    "The settings were not saved": "The settings were not saved",
    "The simulation: %(scenario)s.": "The simulation: %(scenario)s.",
    "These numbers are for the saved k, threshold and maximum; save to measure the new ones.": "These numbers are for the saved k, threshold and maximum; save to measure the new ones.",
    "Times are in your browser's time zone; they are stored in UTC.": "Times are in your browser's time zone; they are stored in UTC.",
    "Times are in your time zone (%(zone)s); they are stored in UTC.": "Times are in your time zone (%(zone)s); they are stored in UTC.",
    "Title": "Title",
    "Type of item %(n)s (no text yet)": "Type of item %(n)s (no text yet)",
    "Type of item %(n)s \u2018%(text)s\u2019": "Type of item %(n)s \u2018%(text)s\u2019",
    "Warning rule at grading": "Warning rule at grading",
    "Warnings, aggregation and appeals": "Warnings, aggregation and appeals",
    "not set": "not set"
  };
  for (const key in newcatalog) {
    django.catalog[key] = newcatalog[key];
  }
  

  if (!django.jsi18n_initialized) {
    django.gettext = function(msgid) {
      const value = django.catalog[msgid];
      if (typeof value === 'undefined') {
        return msgid;
      } else {
        return (typeof value === 'string') ? value : value[0];
      }
    };

    django.ngettext = function(singular, plural, count) {
      const value = django.catalog[singular];
      if (typeof value === 'undefined') {
        return (count == 1) ? singular : plural;
      } else {
        return value.constructor === Array ? value[django.pluralidx(count)] : value;
      }
    };

    django.gettext_noop = function(msgid) { return msgid; };

    django.pgettext = function(context, msgid) {
      let value = django.gettext(context + '\x04' + msgid);
      if (value.includes('\x04')) {
        value = msgid;
      }
      return value;
    };

    django.npgettext = function(context, singular, plural, count) {
      let value = django.ngettext(context + '\x04' + singular, context + '\x04' + plural, count);
      if (value.includes('\x04')) {
        value = django.ngettext(singular, plural, count);
      }
      return value;
    };

    django.interpolate = function(fmt, obj, named) {
      if (named) {
        return fmt.replace(/%\(\w+\)s/g, function(match){return String(obj[match.slice(2,-2)])});
      } else {
        return fmt.replace(/%s/g, function(match){return String(obj.shift())});
      }
    };


    /* formatting library */

    django.formats = {
    "DATETIME_FORMAT": "N j, Y, P",
    "DATETIME_INPUT_FORMATS": [
      "%Y-%m-%d %H:%M:%S",
      "%Y-%m-%d %H:%M:%S.%f",
      "%Y-%m-%d %H:%M",
      "%m/%d/%Y %H:%M:%S",
      "%m/%d/%Y %H:%M:%S.%f",
      "%m/%d/%Y %H:%M",
      "%m/%d/%y %H:%M:%S",
      "%m/%d/%y %H:%M:%S.%f",
      "%m/%d/%y %H:%M",
      "%Y-%m-%d"
    ],
    "DATE_FORMAT": "N j, Y",
    "DATE_INPUT_FORMATS": [
      "%Y-%m-%d",
      "%m/%d/%Y",
      "%m/%d/%y",
      "%b %d %Y",
      "%b %d, %Y",
      "%d %b %Y",
      "%d %b, %Y",
      "%B %d %Y",
      "%B %d, %Y",
      "%d %B %Y",
      "%d %B, %Y"
    ],
    "DECIMAL_SEPARATOR": ".",
    "FIRST_DAY_OF_WEEK": 0,
    "MONTH_DAY_FORMAT": "F j",
    "NUMBER_GROUPING": 3,
    "SHORT_DATETIME_FORMAT": "m/d/Y P",
    "SHORT_DATE_FORMAT": "m/d/Y",
    "THOUSAND_SEPARATOR": ",",
    "TIME_FORMAT": "P",
    "TIME_INPUT_FORMATS": [
      "%H:%M:%S",
      "%H:%M:%S.%f",
      "%H:%M"
    ],
    "YEAR_MONTH_FORMAT": "F Y"
  };

    django.get_format = function(format_type) {
      const value = django.formats[format_type];
      if (typeof value === 'undefined') {
        return format_type;
      } else {
        return value;
      }
    };

    /* add to global namespace */
    globals.pluralidx = django.pluralidx;
    globals.gettext = django.gettext;
    globals.ngettext = django.ngettext;
    globals.gettext_noop = django.gettext_noop;
    globals.pgettext = django.pgettext;
    globals.npgettext = django.npgettext;
    globals.interpolate = django.interpolate;
    globals.get_format = django.get_format;

    django.jsi18n_initialized = true;
  }
};


                  }
                };
                CrossCheckI18N.init();
                global.CrossCheckI18N = CrossCheckI18N;
            }(this));
        