// Provenance previews of rendered numbers (provenance-preview.css shows them on hover and focus):
// Escape hides an open preview without moving focus (WCAG 1.4.13), and a preview that would run
// past either edge of the window (a number near the edge of a phone's screen) moves to fit.
"use strict";

(() => {
  const MARGIN = 8;

  function place(number) {
    const tip = number.querySelector(":scope > .nk-preview");
    tip.style.left = "";
    const box = tip.getBoundingClientRect();
    const room = document.documentElement.clientWidth - MARGIN;
    if (!box.width) return;
    // Left when it would run past the right edge, right when it starts before the left one.
    const shift = box.right > room ? Math.max(room - box.right, MARGIN - box.left) : Math.max(0, MARGIN - box.left);
    if (shift) tip.style.left = `${shift}px`;
  }

  function show(event) {
    const number = event.currentTarget;
    number.classList.remove("nk-dismissed");
    place(number);
  }

  for (const number of document.querySelectorAll(".nk-number")) {
    number.addEventListener("pointerenter", show);
    number.addEventListener("focusin", show);
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      for (const number of document.querySelectorAll(".nk-number:hover, .nk-number:focus-within")) {
        number.classList.add("nk-dismissed");
      }
    }
  });
})();
