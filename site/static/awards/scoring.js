// The jury's weighted total, updated while scoring. The server computes the same total
// (awards/totals.py, weighted_total) on each save; this is only a preview, and the page works
// without it. Each scored criterion counts (value - min) / (max - min) times its weight; « sans
// objet » and criteria not scored yet count neither above nor below the line.
//
// weightedTotal() is the Python function line for line: the sum kept in integers over the least
// common multiple of the spans, then one division, so both give the same float to the last bit.
// tests/awards/test_totals.py runs it under node (module.exports) on the Python cases.
(function () {
  "use strict";

  function gcd(a, b) {
    while (b) {
      var rest = a % b;
      a = b;
      b = rest;
    }
    return a;
  }

  // marks: [weight, min, max, value or null] for each criterion; null when nothing counts.
  function weightedTotal(marks) {
    var scored = marks.filter(function (mark) { return mark[3] !== null; });
    var weights = 0;
    var common = 1;
    scored.forEach(function (mark) {
      var span = mark[2] - mark[1];
      weights += mark[0];
      common = (common / gcd(common, span)) * span;
    });
    if (!weights) return null;
    var numerator = 0;
    scored.forEach(function (mark) {
      numerator += mark[0] * (mark[3] - mark[1]) * (common / (mark[2] - mark[1]));
    });
    return (100 * numerator) / (weights * common);
  }

  // The total to one decimal, halves rounded up from its shortest decimal form (what the
  // server's pages show: Django's floatformat, awards/totals.py tenths), as a "62.3" string.
  function tenths(total) {
    var parts = String(total).split(".");
    var whole = parseInt(parts[0], 10);
    var digits = (parts[1] || "") + "00";
    var tenth = parseInt(digits.charAt(0), 10);
    if (parseInt(digits.charAt(1), 10) >= 5) tenth += 1;
    if (tenth === 10) {
      whole += 1;
      tenth = 0;
    }
    return whole + "." + tenth;
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { weightedTotal: weightedTotal, tenths: tenths };
    return;
  }

  var form = document.getElementById("score-form");
  var output = document.getElementById("live-total");
  if (!form || !output) return;
  var criteria = Array.prototype.slice.call(form.querySelectorAll("fieldset.criterion"));
  var lang = document.documentElement.lang || "fr";

  function marks() {
    var result = [];
    criteria.forEach(function (fieldset) {
      var checked = fieldset.querySelector("input[type=radio]:checked");
      var min = parseInt(fieldset.dataset.min, 10);
      var max = parseInt(fieldset.dataset.max, 10);
      var weight = parseInt(fieldset.dataset.weight, 10);
      if (isNaN(min) || isNaN(max) || isNaN(weight) || max <= min) return;
      var value = checked && checked.value !== "na" ? parseInt(checked.value, 10) : NaN;
      result.push([weight, min, max, isNaN(value) ? null : value]);
    });
    return result;
  }

  function format(total) {
    return Number(tenths(total)).toLocaleString(lang, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
  }

  var last = output.textContent;
  function update() {
    var value = weightedTotal(marks());
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
