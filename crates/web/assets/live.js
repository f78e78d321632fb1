// Live updates over Server-Sent Events. Pages work without this script; with it, the unread
// count in the navigation follows along and new posts appear in an open thread without a reload.
(function () {
  "use strict";
  if (!("EventSource" in window)) return;
  var posts = document.getElementById("posts");
  var thread = posts && posts.dataset.thread;
  var status = document.getElementById("live-status");
  var monitor = document.getElementById("monitor");
  var query = thread ? "?thread=" + encodeURIComponent(thread) : monitor ? "?monitor=true" : "";
  var source = new EventSource("/live" + query);

  source.addEventListener("unread", function (event) {
    var badge = document.getElementById("unread-count");
    if (!badge) return;
    badge.textContent = event.data;
    badge.hidden = event.data === "0";
  });

  // A new line in the monitoring feed: fetch the page again (its filter kept) and swap the list.
  source.addEventListener("watch", function () {
    if (!monitor) return;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("monitor");
        if (!fresh) return;
        monitor.replaceWith(fresh);
        monitor = fresh;
        if (status) status.textContent = "New activity in the spaces you look after.";
      });
  });

  // A new post: fetch this page again and swap in its list of posts, keeping the reply form
  // (and whatever the reader is typing) untouched.
  source.addEventListener("post", function () {
    if (!posts) return;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("posts");
        if (!fresh) return;
        posts.replaceWith(fresh);
        posts = fresh;
        if (status) status.textContent = "A new reply was posted.";
      });
  });
})();
