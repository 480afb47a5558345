/* A frontend on another origin: reads the Newsdesk API (CORS) and renders the list.
   The API's base URL comes from ?api=… so the test can point it at its live server. */
(function () {
  "use strict";
  var api = new URLSearchParams(window.location.search).get("api");
  var status = document.getElementById("status");
  var list = document.getElementById("news");

  fetch(api + "/api/v1/news/?locale=ru", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      data.results.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "item";
        li.dataset.fallback = String(item.is_fallback);
        if (item.is_fallback) {
          // The story is not in Russian yet: say which language it is in.
          var marker = document.createElement("span");
          marker.className = "marker";
          marker.textContent = "(" + item.locale + ")";
          marker.title = item.fallback_notice || "";
          li.appendChild(marker);
          li.appendChild(document.createTextNode(" "));
        }
        var link = document.createElement("a");
        link.className = "title";
        link.href = api + item.url;
        link.lang = item.locale;
        link.textContent = item.title;
        li.appendChild(link);
        list.appendChild(li);
      });
      status.textContent = "Всего: " + data.count;
      document.body.dataset.state = "loaded";
    })
    .catch(function (error) {
      status.textContent = "Ошибка: " + error.message;
      document.body.dataset.state = "error";
    });
})();
