/* Makes the settings editor (xblock.utils' studio_edit.js) work outside Studio, in the workbench:
 * Studio's page sends Django's CSRF header with every jQuery request and its runtime has
 * runtime.notify; the workbench has neither for certain. Both additions are no-ops in Studio. */
(function () {
  "use strict";
  var $ = window.jQuery;
  if ($ && $.ajaxPrefilter) {
    $.ajaxPrefilter(function (options, original, xhr) {
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (match && !options.crossDomain && !/^(GET|HEAD|OPTIONS)$/i.test(options.type || "GET")) {
        xhr.setRequestHeader("X-CSRFToken", decodeURIComponent(match[1]));
      }
    });
  }
  var editor = window.StudioEditableXBlockMixin;
  if (!editor) { return; }
  window.StudioEditableXBlockMixin = function (runtime, element) {
    if (typeof runtime.notify !== "function") {
      runtime.notify = function (name, data) {
        if (name === "error") { window.alert(data.title + "\n\n" + data.message); }
      };
    }
    return editor(runtime, element);
  };
})();
