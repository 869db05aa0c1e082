// Convenience only: the filing form works without this script (the server computes totals on save).
// With it, totals update as amounts are typed and "增加空白行" adds a row in place.
(function () {
  var form = document.getElementById("filing-form");
  if (!form) return;
  function fen(text) {
    var t = (text || "").replace(/,/g, "").trim();
    if (!/^\d+(\.\d{1,2})?$/.test(t)) return t === "" ? 0 : NaN;
    var parts = t.split(".");
    return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
  }
  function show(fenValue) {
    if (isNaN(fenValue)) return "—";
    var negative = fenValue < 0, v = Math.abs(fenValue);
    var yuan = String(Math.floor(v / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (negative ? "-" : "") + yuan + "." + String(v % 100).padStart(2, "0");
  }
  function sum(prefix) {
    var total = 0;
    form.querySelectorAll("input[name^='" + prefix + ".'][name$='.amount']").forEach(function (input) { total += fen(input.value); });
    return total;
  }
  function field(name) { var el = form.querySelector("[name='" + name + "']"); return el ? fen(el.value) : 0; }
  function recompute() {
    var income = sum("income"), cost = sum("costs"), spend = sum("expenditures");
    document.getElementById("income-total").textContent = show(income);
    document.getElementById("cost-total").textContent = show(cost);
    document.getElementById("surplus").textContent = show(income - cost);
    document.getElementById("expenditure-total").textContent = show(spend);
    document.getElementById("computed-closing").textContent = show(field("openingBalance") + field("ownersShare") - spend);
  }
  form.addEventListener("input", recompute);
  var add = form.querySelector("button[value='add']");
  if (add) add.addEventListener("click", function (event) {
    event.preventDefault();
    form.querySelectorAll("table.lines").forEach(function (table) {
      var rows = table.tBodies[0].rows, last = rows[rows.length - 1], copy = last.cloneNode(true), index = rows.length;
      copy.querySelectorAll("input, select").forEach(function (el) {
        el.name = el.name.replace(/\.\d+\./, "." + index + ".");
        if (el.tagName === "INPUT") el.value = "";
        el.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      table.tBodies[0].appendChild(copy);
    });
  });
})();
