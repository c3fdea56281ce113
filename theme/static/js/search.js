// Pagefind's search UI on /suche/; the query comes from the header's search field (?q=…).
// Pagefind's stylesheet is loaded here, not in <head>: it would hold up the first paint of
// a page whose search UI only exists once this script has run.
(function () {
  var element = document.getElementById("suche");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var bundle = element.getAttribute("data-bundle");
  var query = new URLSearchParams(window.location.search).get("q");

  function start() {
    var ui = new PagefindUI({
      element: "#suche",
      bundlePath: bundle,
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

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  style.onload = start;
  style.onerror = start;
  document.head.appendChild(style);
})();
