// Translation memory panel: fetched from the server and shown above wagtail-localize's
// translation editor (a React app we leave untouched). Its forms post ordinary requests
// and come back to the editor, which then loads the new strings itself.
(function () {
  "use strict";
  function init() {
    var editor = document.querySelector(".js-translation-editor[data-props]");
    var script = document.querySelector("script[data-newsdesk-memory-panel]");
    if (!editor || !script) return;
    var props;
    try {
      props = JSON.parse(editor.getAttribute("data-props"));
    } catch (e) {
      return;
    }
    var link = (props.links && props.links.stopTranslationUrl) || "";
    var match = /\/translate\/(\d+)\//.exec(link);
    if (!match) return;
    var url = script.getAttribute("data-newsdesk-memory-panel").replace("/0/", "/" + match[1] + "/");
    var next = window.location.pathname + window.location.search;
    fetch(url + "?next=" + encodeURIComponent(next), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (!html) return;
        var holder = document.createElement("div");
        holder.className = "newsdesk-memory-holder nice-padding";
        holder.innerHTML = html;
        editor.parentNode.insertBefore(holder, editor);
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
