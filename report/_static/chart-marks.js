// One tooltip for the charts' marks: a mark's accessible name, shown on hover and on keyboard focus
// (a native SVG <title> shows on hover only). Hand-written rather than a positioning library
// (Floating UI, Popper): the site has no JavaScript bundling, and placing a box above or below a
// mark, inside the viewport, is all that is needed. Escape hides it (WCAG 1.4.13).
(() => {
  "use strict";
  const GAP = 6;
  let tip = null, shown = null;

  function show(mark) {
    shown = mark;
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("aria-hidden", "true"); // the mark's own name says it to assistive technology
      document.body.append(tip);
    }
    tip.textContent = mark.getAttribute("aria-label");
    tip.hidden = false;
    const box = mark.getBoundingClientRect();
    const width = tip.offsetWidth, height = tip.offsetHeight, room = document.documentElement.clientWidth;
    const left = Math.min(Math.max(GAP, box.left + box.width / 2 - width / 2), room - width - GAP);
    const above = box.top - height - GAP;
    tip.style.left = `${left}px`;
    tip.style.top = `${above >= 0 ? above : box.bottom + GAP}px`;
  }

  function hide() {
    shown = null;
    if (tip) tip.hidden = true;
  }

  const markOf = (target) => (target instanceof Element ? target.closest(".chart-mark") : null);
  document.addEventListener("mouseover", (event) => {
    const mark = markOf(event.target);
    const focused = markOf(document.activeElement);
    if (mark || focused) show(mark || focused);
    else hide();
  });
  document.addEventListener("focusin", (event) => {
    const mark = markOf(event.target);
    if (mark) show(mark);
    else hide();
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hide();
  });
  // Focus scrolls a mark into view: the tooltip follows it.
  window.addEventListener("scroll", () => shown && show(shown), { passive: true, capture: true });
})();
