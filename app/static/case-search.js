/* The case digest's search page (/cases), where JavaScript runs: a changed filter or sort
   re-runs the search at once (the "Apply filters" button is for browsers without JavaScript),
   and the filters' disclosure is open on wide screens, where they sit beside the results. */
(function () {
  "use strict";
  var form = document.querySelector("form.case-search");
  if (!form) {
    return;
  }
  var filters = form.querySelector("details.facets");
  var wide = window.matchMedia("(min-width: 50rem)");
  var action = form.getAttribute("action").split("#")[0];
  var apply = form.querySelector("[data-apply-filters]");

  if (filters && (wide.matches || window.location.hash === "#filters")) {
    filters.open = true;
  }
  if (apply) {
    apply.hidden = true;
  }

  function run(fromFilters) {
    // On a phone, come back to the filters (below the results) rather than to the top.
    form.setAttribute("action", fromFilters && !wide.matches ? action + "#filters" : action);
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field.name === "sort") {
      run(false);
    } else if (filters && filters.contains(field) && field.name !== "q") {
      if (field.type === "number" && !field.checkValidity()) {
        return; // a year out of range: let the reader finish typing
      }
      run(true);
    }
  });
})();
