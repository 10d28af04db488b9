// The ballot's budget bar, live: what the ticked projects cost, what is left, and a warning
// when they cost more than the envelope. Without JavaScript the server shows the same totals
// on the review step (palabre/budgets/templates/budgets/ballot.html).
(function () {
  "use strict";
  const euros = (amount) =>
    amount.toLocaleString("fr-BE").replace(/\s/g, "\u202f") + "\u00a0€";
  for (const form of document.querySelectorAll("form[data-budget]")) {
    const amount = Number(form.dataset.amount);
    const bar = form.querySelector("progress");
    const text = form.querySelector("[data-budget-text]");
    const boxes = form.querySelectorAll("input[type=checkbox][data-cost]");
    const update = () => {
      let total = 0;
      for (const box of boxes) if (box.checked) total += Number(box.dataset.cost);
      bar.value = Math.min(total, amount);
      bar.textContent = euros(total);
      const over = total > amount;
      form.classList.toggle("ballot--over", over);
      text.textContent = (over ? text.dataset.over : text.dataset.template)
        .replace("{total}", euros(total))
        .replace("{amount}", euros(amount))
        .replace("{left}", euros(Math.max(0, amount - total)))
        .replace("{over}", euros(Math.max(0, total - amount)));
    };
    for (const box of boxes) box.addEventListener("change", update);
  }
})();
