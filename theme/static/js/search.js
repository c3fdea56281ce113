// Pagefind's search UI on /suche/; the query comes from the header's search field (?q=…).
(function () {
  var element = document.getElementById("suche");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var ui = new PagefindUI({
    element: "#suche",
    bundlePath: element.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    autofocus: !new URLSearchParams(window.location.search).get("q"),
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
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
