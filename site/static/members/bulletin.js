// Shows the tier that applies while the bulletin is filled in. The server computes it again on
// submission; this is only a preview, and the page works without it.
(function () {
  "use strict";
  var form = document.getElementById("bulletin");
  var output = document.getElementById("tier-estimate");
  var grid = document.getElementById("fee-grid");
  if (!form || !output || !grid) return;
  var rows = Array.prototype.slice.call(grid.querySelectorAll("tbody tr[data-basis]"));
  var employees = form.querySelector("[data-tier-basis=employees]");
  var budget = form.querySelector("[data-tier-basis=budget]");

  function valueOf(basis) {
    var field = basis === "employees" ? employees : budget;
    if (!field || field.value === "") return null;
    var number = parseInt(field.value, 10);
    return isNaN(number) ? null : number;
  }

  function update() {
    var match = null;
    rows.forEach(function (row) {
      row.classList.remove("table-primary");
      row.removeAttribute("aria-current");
      if (match) return;
      var value = valueOf(row.dataset.basis);
      if (value === null) return;
      var max = row.dataset.max === "" ? Infinity : parseInt(row.dataset.max, 10);
      if (value >= parseInt(row.dataset.min, 10) && value < max) match = row;
    });
    if (match) {
      match.classList.add("table-primary");
      match.setAttribute("aria-current", "true");
      output.textContent = output.dataset.template
        .replace("{label}", match.dataset.label)
        .replace("{amount}", match.dataset.amount);
    } else {
      output.textContent = output.dataset.none;
    }
  }

  [employees, budget].forEach(function (field) {
    if (field) field.addEventListener("change", update);
    if (field) field.addEventListener("input", update);
  });
  update();
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
