// Progressive enhancement only: every page works without JavaScript.
// "Ausdrucken" opens the print dialog; without JavaScript the link shows how to print.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-print]");
  if (link) {
    event.preventDefault();
    window.print();
  }
});
