/* The catalogue page's search, filters and print buttons (copied to out/catalogue.js).
   Plain script, no libraries and no network: the page must work from a shared drive. */
(function () {
  "use strict";

  var form = document.getElementById("finder");
  var query = document.getElementById("q");
  var language = document.getElementById("language");
  var specialty = document.getElementById("specialty");
  var count = document.getElementById("result-count");
  var printStatus = document.getElementById("print-status");
  var none = document.getElementById("no-results");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-leaflet]"));
  var announceTimer = null;

  /* Case and accents ignored: "radiacion" finds "radiación", "IGRT" finds "igrt". */
  function fold(text) {
    var plain = text.normalize ? text.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : text;
    return plain.toLowerCase();
  }

  items.forEach(function (item) {
    item.haystack = fold(item.getAttribute("data-search") || "");
    item.languages = (item.getAttribute("data-languages") || "").split(" ");
  });

  function matches(item, words, lang, spec) {
    if (lang && item.languages.indexOf(lang) < 0) return false;
    if (spec && item.getAttribute("data-specialty") !== spec) return false;
    return words.every(function (word) { return item.haystack.indexOf(word) >= 0; });
  }

  function countText(shown) {
    var total = items.length;
    var noun = total === 1 ? " leaflet" : " leaflets";
    return shown === total ? total + noun : shown + " of " + total + noun + " shown";
  }

  function update() {
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var show = matches(item, words, language.value, specialty.value);
      item.hidden = !show;
      if (show) shown += 1;
    });
    none.hidden = shown > 0;
    /* Wait for a pause in typing so a screen reader says the count once, not per key. */
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { count.textContent = countText(shown); }, 300);
  }

  function say(message) {
    printStatus.textContent = "";
    setTimeout(function () { printStatus.textContent = message; }, 50);
  }

  function openToPrint(href) {
    window.open(href, "_blank", "noopener");
    say("The leaflet opened in a new tab. Print it from there with the print button or Ctrl+P.");
  }

  /* Printing a PDF in a hidden frame works when the page is served from a web folder.
     From file:// the browser keeps the frame apart, so the leaflet opens in a tab instead. */
  function printPdf(href) {
    if (location.protocol === "file:") { openToPrint(href); return; }
    var old = document.getElementById("print-frame");
    if (old) old.parentNode.removeChild(old);
    var frame = document.createElement("iframe");
    frame.id = "print-frame";
    frame.title = "Leaflet being printed";
    frame.className = "visually-hidden";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.addEventListener("load", function () {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch (error) {
        say("This browser cannot print from the list. Use Open, then print from the leaflet.");
      }
    });
    /* Served by `handouts serve`: print/<file> counts the copy as given out (no patient data). */
    frame.src = document.body.getAttribute("data-served") === "handouts" ? "print/" + href : href;
    document.body.appendChild(frame);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("reset", function () {
    setTimeout(function () { update(); query.focus(); }, 0);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) printPdf(button.getAttribute("data-print"));
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
  });
  update();
})();
