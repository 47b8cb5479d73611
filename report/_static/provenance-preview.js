// Provenance previews of rendered numbers (provenance-preview.css shows them on hover and focus):
// Escape hides an open preview without moving focus (WCAG 1.4.13), and a preview that would run
// past either edge of the window (a number near the edge of a phone's screen) moves to fit.
// On a touch screen there is no hover: the first tap on a number opens its preview, which then
// holds a link to the number's entry in Data and methods; a second tap on the number follows it.
"use strict";

(() => {
  const MARGIN = 8;
  let touched = false; // the pointer that starts the current click is a finger or a pen

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

  function close(number) {
    number.classList.remove("nk-open");
    number.querySelector(":scope > .nk-preview > .nk-preview-link")?.remove();
  }

  function open(number) {
    for (const other of document.querySelectorAll(".nk-number.nk-open")) close(other);
    const target = number.firstElementChild;
    const href = target.getAttribute("href");
    if (href) {
      const link = document.createElement("a");
      link.className = "nk-preview-link";
      link.href = href;
      link.textContent = "Source and quotation in Data and methods";
      number.querySelector(":scope > .nk-preview").append(link);
    }
    number.classList.add("nk-open");
    number.classList.remove("nk-dismissed");
    place(number);
  }

  document.addEventListener("pointerdown", (event) => {
    touched = event.pointerType === "touch" || event.pointerType === "pen";
  }, true);

  for (const number of document.querySelectorAll(".nk-number")) {
    number.addEventListener("pointerenter", show);
    number.addEventListener("focusin", show);
    number.firstElementChild.addEventListener("click", (event) => {
      if (!touched || number.classList.contains("nk-open")) return; // a mouse click, or the second tap
      event.preventDefault();
      open(number);
    });
  }
  // A tap anywhere else closes an open preview.
  document.addEventListener("click", (event) => {
    for (const number of document.querySelectorAll(".nk-number.nk-open")) {
      if (!number.contains(event.target)) close(number);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      for (const number of document.querySelectorAll(".nk-number:hover, .nk-number:focus-within, .nk-number.nk-open")) {
        close(number);
        number.classList.add("nk-dismissed");
      }
    }
  });
})();
