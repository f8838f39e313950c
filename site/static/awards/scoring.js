// The jury's weighted total, updated while scoring. The server computes the same total
// (awards/scoring.py, weighted_total) on each save; this is only a preview, and the page works
// without it. Each scored criterion counts (value - min) / (max - min) times its weight; « sans
// objet » and criteria not scored yet count neither above nor below the line.
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  var output = document.getElementById("live-total");
  if (!form || !output) return;
  var criteria = Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion"));
  var lang = document.documentElement.lang || "fr";

  function total() {
    var numerator = 0;
    var denominator = 0;
    criteria.forEach(function (fieldset) {
      var checked = fieldset.querySelector("input[type=radio]:checked");
      if (!checked || checked.value === "na") return;
      var value = parseInt(checked.value, 10);
      var min = parseInt(fieldset.dataset.min, 10);
      var max = parseInt(fieldset.dataset.max, 10);
      var weight = parseInt(fieldset.dataset.weight, 10);
      if (isNaN(value) || isNaN(min) || isNaN(max) || isNaN(weight) || max <= min) return;
      numerator += (weight * (value - min)) / (max - min);
      denominator += weight;
    });
    return denominator ? (numerator * 100) / denominator : null;
  }

  function format(number) {
    var rounded = Math.round(number * 10) / 10;
    return rounded.toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  var last = output.textContent;
  function update() {
    var value = total();
    var text = value === null
      ? output.dataset.none
      : output.dataset.template.replace("{total}", format(value));
    // Only a change is announced: screen readers hear the new total, not the same one again.
    if (text !== last) {
      output.textContent = text;
      last = text;
    }
  }

  form.addEventListener("change", update);
  update();
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
