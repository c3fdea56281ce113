// Pagefind's search UI on /suche/; the query comes from the header's search field (?q=…).
// Pagefind's stylesheet is loaded here, not in <head>: it would hold up the first paint of
// a page whose search UI only exists once this script has run.
// The index comes in parts (one Pagefind bundle per year and one for the pages, listed in
// teile.json): the first part's UI searches all of them at once (mergeIndex), one box,
// one ranked list. Without teile.json the folder is one bundle.
(function () {
  var element = document.getElementById("suche");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  // Absolute paths: Pagefind takes a merged bundle's path relative to the first bundle.
  var bundle = new URL(element.getAttribute("data-bundle"), document.baseURI).pathname;
  var query = new URLSearchParams(window.location.search).get("q");

  function start(parts) {
    var ui = new PagefindUI({
      element: "#suche",
      bundlePath: parts.length ? bundle + parts[0] + "/" : bundle,
      mergeIndex: parts.slice(1).map(function (part) {
        return { bundlePath: bundle + part + "/" };
      }),
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: !query,
      translations: { placeholder: "Suchbegriff eingeben", clear_search: "Löschen" },
      // The first sub-result often repeats the page's own title (its <h1> anchor): drop it.
      processResult: function (result) {
        var title = (result.meta && result.meta.title) || "";
        result.sub_results = (result.sub_results || []).filter(function (sub) {
          return sub.title !== title;
        });
        return result;
      },
    });
    if (query) {
      ui.triggerSearch(query);
    }
  }

  function parts() {
    return fetch(bundle + "teile.json")
      .then(function (response) {
        return response.ok ? response.json() : { teile: [] };
      })
      .then(function (data) {
        return data.teile || [];
      })
      .catch(function () {
        return [];
      });
  }

  var styled = new Promise(function (resolve) {
    var style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = bundle + "pagefind-ui.css";
    style.onload = resolve;
    style.onerror = resolve;
    document.head.appendChild(style);
  });
  Promise.all([parts(), styled]).then(function (results) {
    start(results[0]);
  });
})();
