// Wide official tables scroll inside their frame: mark the frame's edges that hide more
// table (shadow) and show the hint only when there is something to scroll to.
(function () {
  "use strict";

  function frameOf(scroller) {
    var parent = scroller.parentElement;
    if (parent && parent.classList.contains("grid-frame")) return parent;
    var frame = document.createElement("div");
    frame.className = "grid-frame";
    scroller.parentNode.insertBefore(frame, scroller);
    frame.appendChild(scroller);
    var text = document.body.dataset.scrollHint;
    if (text) {
      var hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.textContent = text;
      frame.appendChild(hint);
    }
    return frame;
  }

  function watch(scroller) {
    var frame = frameOf(scroller);
    var update = function () {
      var room = scroller.scrollWidth - scroller.clientWidth;
      frame.classList.toggle("scrollable", room > 1);
      frame.classList.toggle("more-left", scroller.scrollLeft > 1);
      frame.classList.toggle("more-right", scroller.scrollLeft < room - 1);
    };
    scroller.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    update();
  }

  function init() {
    document.querySelectorAll(".grid-scroll").forEach(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
