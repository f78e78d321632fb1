// Mention autocomplete for text areas marked `data-mentions`: typing `@[` and two letters of a
// name lists matching people; choosing one writes `@[Given Family] `. Without this script people
// type the name in brackets themselves.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-mentions]").forEach(function (area) {
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = area.id + "-mentions";
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-controls", list.id);
    var pending = 0;

    function typedName() {
      var before = area.value.slice(0, area.selectionStart);
      var match = /@\[([^\]\n]{2,40})$/.exec(before);
      return match ? match[1] : null;
    }

    function choose(name) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret).replace(/@\[[^\]\n]*$/, "@[" + name + "] ");
      area.value = before + area.value.slice(caret);
      area.focus();
      area.setSelectionRange(before.length, before.length);
      list.hidden = true;
    }

    area.addEventListener("input", function () {
      var name = typedName();
      if (!name) { list.hidden = true; return; }
      var ticket = ++pending;
      fetch("/api/v1/people?q=" + encodeURIComponent(name), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (people) {
          if (ticket !== pending) return;
          list.replaceChildren();
          people.forEach(function (person) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = person.display_name;
            button.addEventListener("click", function () { choose(person.display_name); });
            item.appendChild(button);
            list.appendChild(item);
          });
          list.hidden = people.length === 0;
        });
    });
  });
})();
