// The ballot's bar, live: what the ticked projects cost and what is left of the envelope (or,
// on a points ballot, the points given and left), with a warning when it is too much. Without
// JavaScript the server shows the same totals on the review step
// (palabre/budgets/templates/budgets/ballot.html).
(function () {
  "use strict";
  const euros = (amount) =>
    amount.toLocaleString("fr-BE").replace(/\s/g, "\u202f") + "\u00a0€";
  for (const form of document.querySelectorAll("form[data-budget]")) {
    const text = form.querySelector("[data-budget-text]");
    if (!text) continue; // a ranking has no bar
    const byPoints = "points" in form.dataset;
    const amount = Number(byPoints ? form.dataset.points : form.dataset.amount);
    const shown = byPoints ? String : euros;
    const bar = form.querySelector("progress");
    const inputs = byPoints
      ? form.querySelectorAll("input[type=number]")
      : form.querySelectorAll("input[type=checkbox][data-cost]");
    const update = () => {
      let total = 0;
      for (const input of inputs) {
        if (byPoints) total += Math.max(0, Number(input.value) || 0);
        else if (input.checked) total += Number(input.dataset.cost);
      }
      bar.value = Math.min(total, amount);
      bar.textContent = shown(total);
      const over = total > amount;
      form.classList.toggle("ballot--over", over);
      text.textContent = (over ? text.dataset.over : text.dataset.template)
        .replace("{total}", shown(total))
        .replace("{amount}", shown(amount))
        .replace("{left}", shown(Math.max(0, amount - total)))
        .replace("{over}", shown(Math.max(0, total - amount)));
    };
    for (const input of inputs) input.addEventListener(byPoints ? "input" : "change", update);
  }
})();
