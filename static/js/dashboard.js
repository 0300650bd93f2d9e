/* Draws the dashboard charts from the figures the server put in the page (json_script).
   Without JavaScript the charts stay hidden and the tables beneath them stay open. */
(function () {
  "use strict";

  var NL = {
    moduleType: "locale",
    name: "nl",
    dictionary: {
      "Download plot as a PNG": "Grafiek downloaden als PNG",
      "Download plot": "Grafiek downloaden",
      "Reset axes": "Assen herstellen",
      "Autoscale": "Automatisch schalen",
      "Zoom in": "Inzoomen",
      "Zoom out": "Uitzoomen",
      "Double-click to zoom back out": "Dubbelklik om uit te zoomen"
    },
    format: {
      days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
      shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
      months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
        "september", "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d-%m-%Y",
      decimal: ",",
      thousands: ".",
      grouping: [3],
      currency: ["€ ", ""]
    }
  };

  function teken(element) {
    var bron = document.getElementById(element.getAttribute("data-figuur"));
    if (!bron) { return; }
    var figuur = JSON.parse(bron.textContent);
    element.hidden = false;
    smal(figuur, element.clientWidth || window.innerWidth);
    window.Plotly.newPlot(element, figuur.data, figuur.layout, {
      responsive: true,
      displaylogo: false,
      locale: "nl",
      modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d", "autoScale2d"]
    }).then(function () {
      // The chart shows the numbers now; its table stays one click away.
      var blok = element.closest(".grafiekblok");
      var tabel = blok && blok.querySelector("details[data-sluit-na-grafiek]");
      if (tabel) { tabel.open = false; }
    });
  }

  // On a phone (about 390 px) a chart has room for fewer labels: every other (or third) year
  // on a time axis, and the legend in smaller type on several lines instead of cut off.
  function smal(figuur, breedte) {
    if (breedte >= 560) { return; }
    var layout = figuur.layout || {};
    var as = layout.xaxis || {};
    if (as.tickvals && as.tickvals.length > 5) {
      var stap = Math.ceil(as.tickvals.length / 5);
      as.tickvals = as.tickvals.filter(function (_w, i) { return i % stap === 0; });
      if (as.ticktext) { as.ticktext = as.ticktext.filter(function (_w, i) { return i % stap === 0; }); }
    }
    if (as.type === "category" && !as.tickvals) { as.tickangle = -60; }
    layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } });
    layout.margin = Object.assign({}, layout.margin, { l: Math.min((layout.margin || {}).l || 56, 48), r: 8 });
    layout.font = Object.assign({}, layout.font, { size: 12 });
  }

  function start() {
    if (!window.Plotly) { return; }
    window.Plotly.register(NL);
    document.querySelectorAll("[data-figuur]").forEach(teken);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
