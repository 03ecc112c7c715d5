// Copy buttons: <button data-copy-target="input-id" hidden>. The button shows only where
// the browser can copy; the result is announced in #copy-status. No inline script (CSP).
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.getElementById("copy-status");
  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          announce(button.getAttribute("data-copied-message"));
        },
        function () {
          field.select();
          announce(button.getAttribute("data-failed-message"));
        }
      );
    });
  });
})();
