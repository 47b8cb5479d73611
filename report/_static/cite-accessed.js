// The cite page's citations name the day they are read: the reader's today, filled in where the built
// page (and a reader without scripts) has the placeholder (nkreport.citation: ACCESSED_WORDS, ACCESSED_ISO).
"use strict";

(() => {
  const today = new Date();
  const iso = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((part, i) => String(part).padStart(i ? 2 : 4, "0")).join("-");
  const words = today.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  for (const block of document.querySelectorAll(".nk-accessed")) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      text.nodeValue = text.nodeValue.replaceAll("[date you read it]", words).replaceAll("YYYY-MM-DD", iso);
    }
  }
})();
