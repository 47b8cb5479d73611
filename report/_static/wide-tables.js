// A table wider than the window scrolls sideways inside its frame (the theme's scroll container):
// say so above it, with how many columns it has, so that a reader on a phone knows there is more.
"use strict";

(() => {
  function mark(frame) {
    const table = frame.querySelector(":scope > table");
    const wide = table && frame.scrollWidth > frame.clientWidth + 1;
    let hint = frame.previousElementSibling;
    if (!hint || !hint.classList.contains("nk-scroll-hint")) hint = null;
    frame.classList.toggle("nk-scrolls", Boolean(wide));
    if (!wide) {
      hint?.remove();
      return;
    }
    if (!hint) {
      hint = document.createElement("p");
      hint.className = "nk-scroll-hint";
      frame.before(hint);
    }
    const columns = table.rows[0] ? [...table.rows[0].cells].reduce((n, cell) => n + cell.colSpan, 0) : 0;
    hint.textContent = `Scroll the table sideways to see all ${columns} columns \u2192`;
  }

  const frames = [...document.querySelectorAll(".pst-scrollable-table-container")];
  const markAll = () => frames.forEach(mark);
  markAll();
  window.addEventListener("resize", markAll);
})();
