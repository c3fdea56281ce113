// Served only by `make devserver` (plugins/engine/devserver.py), never written to output/:
// reloads the page when a rebuild has finished.
(function () {
  var stamp = null;
  function check() {
    fetch("/__rundbrief/build", { cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (text) {
        if (stamp !== null && text !== stamp) {
          window.location.reload();
          return;
        }
        stamp = text;
        setTimeout(check, 300);
      })
      .catch(function () {
        setTimeout(check, 1000);
      });
  }
  check();
})();
