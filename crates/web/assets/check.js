// The live nudge: while someone writes in a text area marked `data-check`, the content check
// runs on the server (POST /api/v1/moderation/check) and its reason appears under the text —
// "this may read as mocking: …" — before anything is sent. Without this script the form comes
// back with the same message after posting.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-check]").forEach(function (area) {
    var hint = document.createElement("p");
    hint.className = "nudge-hint";
    hint.id = area.id + "-check";
    hint.setAttribute("aria-live", "polite");
    hint.hidden = true;
    area.insertAdjacentElement("afterend", hint);
    var csrf = area.form && area.form.querySelector("input[name=_csrf]");
    var timer = 0;
    var ticket = 0;

    function show(message) {
      hint.textContent = message;
      hint.hidden = message === "";
      var described = (area.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== hint.id;
      });
      if (message !== "") described.push(hint.id);
      if (described.length) area.setAttribute("aria-describedby", described.join(" "));
      else area.removeAttribute("aria-describedby");
    }

    function check() {
      var text = area.value;
      if (text.trim().length < 3) { show(""); return; }
      var mine = ++ticket;
      fetch("/api/v1/moderation/check", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf ? csrf.value : "" },
        body: JSON.stringify({ text: text })
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (verdict) {
          if (mine !== ticket || !verdict) return;
          show(verdict.action === "allow" ? "" : verdict.message);
        })
        .catch(function () { /* the server checks again when the form is sent */ });
    }

    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 600);
    });
  });
})();
