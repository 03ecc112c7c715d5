// The catalogue's filter panel: folded on a phone so the results come first, unfolded
// beside the results from 992 px. Without this file the panel still opens with a tap.
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (!panel || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 992px)");
  function follow() {
    if (wide.matches) {
      panel.open = true;
    }
  }
  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
})();
