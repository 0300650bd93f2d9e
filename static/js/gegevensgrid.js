/* The entry grid. Without JavaScript "+ toelichting" reloads the page with that cell's comment
   field; with it, the field appears in place and the values typed so far stay. */
(function () {
  "use strict";
  document.addEventListener("click", function (gebeurtenis) {
    var link = gebeurtenis.target.closest("a.toelichting-link");
    if (!link) { return; }
    gebeurtenis.preventDefault();
    var veld = document.createElement("textarea");
    veld.name = link.dataset.naam;
    veld.rows = 2;
    veld.placeholder = "Toelichting";
    veld.setAttribute("aria-label", link.dataset.label);
    link.replaceWith(veld);
    veld.focus();
  });
})();
