// Pagefind's search UI on /suche/; the query comes from the header's search field (?q=…).
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

  function start(parts) {
    var options = {
      element: "#suche",
      bundlePath: parts.length ? bundle + parts[0] + "/" : bundle,
      mergeIndex: parts.slice(1).map(function (part) {
        return { bundlePath: bundle + part + "/" };
      }),
      showSubResults: true,
      showImages: false,
      resetStyles: false,
    };
    var ui = new PagefindUI(options);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }

  fetch(bundle + "teile.json")
    .then(function (response) {
      return response.ok ? response.json() : { teile: [] };
    })
    .then(function (data) {
      start(data.teile || []);
    })
    .catch(function () {
      start([]);
    });
})();
