// Check-in page: the name search filters the list as you type. Without this script the
// same search works as a GET form. No inline script (CSP).
(function () {
  "use strict";
  var input = document.getElementById("checkin-q");
  var list = document.getElementById("checkin-list");
  if (!input || !list) {
    return;
  }
  var shown = document.getElementById("checkin-shown");
  var nobody = document.getElementById("checkin-nobody");
  var rows = Array.prototype.slice.call(list.querySelectorAll("li[data-name]"));
  var queries = document.querySelectorAll("input.checkin-query");

  // As the server searches: no accents, no case, each word starts a first or last name.
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-\u2010-\u2013]/g, "").split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
  }

  rows.forEach(function (row) {
    row.checkinNames = fold(row.getAttribute("data-name"));
  });

  function filter() {
    var words = fold(input.value);
    var count = 0;
    rows.forEach(function (row) {
      var match = words.every(function (word) {
        return row.checkinNames.some(function (name) {
          return name.indexOf(word) === 0;
        });
      });
      row.hidden = !match;
      if (match) {
        count += 1;
      }
    });
    // Back from a tap, the list is filtered the same way.
    queries.forEach(function (field) {
      field.value = input.value.trim();
    });
    if (shown) {
      shown.textContent = words.length ? shown.getAttribute("data-label") + " " + count : "";
    }
    if (nobody) {
      nobody.classList.toggle("d-none", count > 0);
    }
  }

  input.addEventListener("input", filter);
})();
