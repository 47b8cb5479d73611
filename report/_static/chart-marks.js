// The charts' marks (nkreport.sphinxext.charts writes them): one tooltip showing a mark's accessible name
// on hover and on keyboard focus (a native SVG <title> shows on hover only), and the keys that move
// between marks. A chart is one tab stop, its marks a roving tabindex: the arrow keys move to the
// next or previous row's mark (the order of the table under the chart), Home and End to the first and
// last, and Escape hides the tooltip and leaves the marks for the drawing, so Tab goes on past the chart.
// Hand-written rather than a positioning library (Floating UI, Popper): the site has no JavaScript
// bundling, and placing a box above or below a mark, inside the viewport, is all that is needed.
(() => {
  "use strict";
  const GAP = 6;
  const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  let tip = null, shown = null;

  // Shows the words of ``marks`` (the first placing the tooltip): one mark on focus, every mark under the
  // pointer on hover, so a mark drawn under another (a total under a press figure of the same value) is
  // reached by the pointer too.
  function show(...marks) {
    const mark = marks[0];
    shown = marks;
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.setAttribute("aria-hidden", "true"); // the mark's own name says it to assistive technology
      document.body.append(tip);
    }
    tip.textContent = [...new Set(marks.map((m) => m.getAttribute("aria-label")))].join("\n");
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

  // The marks that take focus in one chart, in the order of its rows.
  const stops = (chart) =>
    [...chart.querySelectorAll(".chart-mark[data-row]")].sort((a, b) => a.dataset.row - b.dataset.row);

  // The focused mark becomes the chart's one tab stop, so Tab back into the chart returns to it.
  function rove(mark) {
    for (const other of stops(mark.closest(".chart-svg"))) other.tabIndex = other === mark ? 0 : -1;
  }

  // Escape: focus the drawing, and while it has focus the chart has no tab stop inside it, so Tab and
  // Shift+Tab go on past the chart; once focus has gone, its tab stop is the mark left.
  function leave(mark) {
    const chart = mark.closest(".chart-svg");
    mark.tabIndex = -1;
    chart.focus();
    // Only once the focus has arrived elsewhere: Tab picks where to go before the drawing loses focus.
    const back = () => { mark.tabIndex = 0; };
    chart.addEventListener("blur", (event) => {
      if (event.relatedTarget) event.relatedTarget.addEventListener("focus", back, { once: true });
      else back();
    }, { once: true });
  }

  const markOf = (target) => (target instanceof Element ? target.closest(".chart-mark") : null);
  // Every mark painted under the pointer, topmost first.
  const marksAt = (x, y) => [...new Set(document.elementsFromPoint(x, y).map(markOf).filter(Boolean))];
  document.addEventListener("pointermove", (event) => {
    const inChart = event.target instanceof Element && event.target.closest(".chart-svg");
    const over = inChart ? marksAt(event.clientX, event.clientY) : [];
    const focused = markOf(document.activeElement);
    if (over.length) show(...over);
    else if (focused) show(focused);
    else hide();
  }, { passive: true });
  document.addEventListener("focusin", (event) => {
    const mark = markOf(event.target);
    if (mark) {
      if (mark.dataset.row !== undefined) rove(mark);
      show(mark);
    } else hide();
  });
  document.addEventListener("focusout", hide);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hide();
      const mark = markOf(document.activeElement);
      if (mark && mark.dataset.row !== undefined) leave(mark);
      return;
    }
    const mark = markOf(event.target);
    if (!mark || mark.dataset.row === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    const marks = stops(mark.closest(".chart-svg")), at = marks.indexOf(mark);
    const next = event.key === "Home" ? 0 : event.key === "End" ? marks.length - 1
      : event.key in STEPS ? Math.min(Math.max(at + STEPS[event.key], 0), marks.length - 1) : null;
    if (next === null) return;
    event.preventDefault(); // the arrows move between marks, not the page
    marks[next].focus();
  });
  // Focus scrolls a mark into view: the tooltip follows it.
  window.addEventListener("scroll", () => shown && show(...shown), { passive: true, capture: true });
})();
