/*
 * Live blog updates (news.live): progressive enhancement, no framework.
 *
 * Every 5 s the page asks the updates endpoint (data-live-updates) for the entries
 * changed since its cursor (data-live-cursor, then each answer's), with If-None-Match:
 * a 304 costs nothing. When something changed, the page fetches its own HTML once and
 * takes the new and changed entries (by id, the stable #anchors) and the key events from
 * it; entries that are gone are removed. New entries are announced in the polite live
 * region; the focus never moves. Without JavaScript the page is complete as served.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-updates]");
  if (!root || !window.fetch || !window.DOMParser) return;
  var url = root.getAttribute("data-live-updates");
  var list = root.querySelector("[data-live-entries]");
  var status = root.querySelector("[data-live-status]");
  var etag = null;
  var cursor = root.getAttribute("data-live-cursor") || "";
  var interval = 5000;
  var busy = false;

  function entriesOf(container) {
    var found = {};
    container.querySelectorAll("article.live-entry[id]").forEach(function (node) {
      found[node.id] = node;
    });
    return found;
  }

  function merge(doc) {
    var fresh = doc.querySelector("[data-live-entries]");
    if (!fresh) return 0;
    var current = entriesOf(list);
    var added = 0;
    var previous = null;
    fresh.querySelectorAll("article.live-entry[id]").forEach(function (node) {
      var old = current[node.id];
      var placed;
      if (old) {
        placed = old;
        if (old.getAttribute("data-modified") !== node.getAttribute("data-modified") ||
            old.getAttribute("lang") !== node.getAttribute("lang")) {
          placed = document.importNode(node, true);  // an edited or translated entry, in place
          old.replaceWith(placed);
        }
        delete current[node.id];
      } else {
        added += 1;
        placed = document.importNode(node, true);
        if (previous) previous.after(placed);
        else list.insertBefore(placed, list.querySelector("article.live-entry"));
      }
      previous = placed;
    });
    Object.keys(current).forEach(function (id) { current[id].remove(); });
    var empty = list.querySelector(".empty");
    if (empty && list.querySelector("article.live-entry")) empty.remove();
    var keys = root.querySelector("[data-live-key-events]");
    var freshKeys = doc.querySelector("[data-live-key-events]");
    if (keys && freshKeys) {
      keys.replaceWith(document.importNode(freshKeys, true));
    }
    return added;
  }

  function announce(count) {
    if (!status || count < 1) return;
    status.textContent = count === 1
      ? status.getAttribute("data-one")
      : status.getAttribute("data-many") + " " + count;
  }

  function refresh() {
    return fetch(window.location.pathname + window.location.search, {
      cache: "no-store", credentials: "same-origin", headers: { "Accept": "text/html" }
    }).then(function (response) {
      if (!response.ok) return;
      return response.text().then(function (html) {
        announce(merge(new DOMParser().parseFromString(html, "text/html")));
      });
    });
  }

  function anchors(ids) {  // news.live.anchor: the same rule as the server's
    return ids.map(function (id) { return "live-" + id.slice(0, 8); }).join(",");
  }

  function currentIds() {
    return Object.keys(entriesOf(list)).join(",");
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(cursor);
    fetch(address, { cache: "no-store", credentials: "omit", headers: headers })
      .then(function (response) {
        if (response.status === 304 || !response.ok) return null;
        etag = response.headers.get("ETag");
        return response.json().then(function (data) {
          var changed = data.entries.length > 0 || anchors(data.entry_ids) !== currentIds();
          if (data.cursor !== cursor) {
            cursor = data.cursor;
            etag = null;  // another address: its first answer comes without If-None-Match
          }
          return changed ? refresh() : null;
        });
      })
      .catch(function () { /* offline: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  poll();
  window.setInterval(poll, interval);
  document.addEventListener("visibilitychange", poll);
})();
