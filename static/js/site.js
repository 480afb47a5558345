/* Newsdesk reader site. No inline scripts anywhere: this file is loaded with defer. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  // Back-to-top: without JavaScript it is a plain link at the end of the footer.
  // With it, it floats in the corner once the reader has scrolled down a screen.
  var button = document.querySelector("[data-back-to-top]");
  if (!button) {
    return;
  }
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var ticking = false;

  function threshold() {
    return Math.max(400, window.innerHeight * 0.75);
  }

  function update() {
    ticking = false;
    var visible = window.scrollY > threshold();
    button.classList.toggle("is-visible", visible);
    // Hidden, it leaves the tab order and the accessibility tree (CSS visibility: hidden).
  }

  window.addEventListener(
    "scroll",
    function () {
      if (!ticking) {
        ticking = true;
        window.requestAnimationFrame(update);
      }
    },
    { passive: true }
  );
  window.addEventListener("resize", update, { passive: true });
  update();
  window.requestAnimationFrame(function () {
    button.classList.add("is-ready");
  });

  button.addEventListener("click", function (event) {
    event.preventDefault();
    window.scrollTo({ top: 0, behavior: reducedMotion.matches ? "instant" : "smooth" });
    // Keyboard and screen-reader users land at the top too, not just the viewport.
    var top = document.getElementById("top");
    if (top) {
      top.focus({ preventScroll: true });
    }
  });
})();
