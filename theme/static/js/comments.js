// The comment form, enhanced (it works without this script: the reader service then asks
// once more to send, with a fresh form stamp, and "Antworten" opens the service's form).
// 1. On first use of the form, fetch a fresh signed stamp from the service (same host).
// 2. "Antworten" moves the form under the comment and sets comment_parent; "abbrechen"
//    puts it back.
(function () {
  var form = document.querySelector("form[data-comment-form]");
  var respond = document.getElementById("kommentieren");
  if (!form || !respond) return;
  var home = respond.parentNode;
  var next = respond.nextSibling;
  var parentField = form.querySelector("[data-reply-parent]");
  var note = respond.querySelector("[data-replying]");
  var who = respond.querySelector("[data-reply-name]");
  var asked = false;

  function fetchStamp() {
    if (asked || !window.fetch) return;
    asked = true;
    var url = form.getAttribute("data-stamp-url") + "?slug=" + encodeURIComponent(form.elements.slug.value);
    fetch(url, { credentials: "omit", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (text) { if (text) form.elements.stamp.value = text.trim(); })
      .catch(function () { asked = false; });
  }

  function answer(link) {
    var comment = link.closest("li");
    if (!comment) return false;
    parentField.value = link.getAttribute("data-reply-to");
    who.textContent = link.getAttribute("data-reply-author");
    note.hidden = false;
    comment.querySelector("article").after(respond);
    form.elements.comment.focus();
    return true;
  }

  function cancel() {
    parentField.value = "0";
    note.hidden = true;
    home.insertBefore(respond, next);
    form.elements.comment.focus();
  }

  form.addEventListener("focusin", fetchStamp);
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var link = event.target.closest("a[data-reply-to]");
    if (link && answer(link)) {
      event.preventDefault();
      fetchStamp();
      return;
    }
    if (event.target.closest("[data-reply-cancel]")) {
      event.preventDefault();
      cancel();
    }
  });
})();
