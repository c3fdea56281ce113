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
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
})();
