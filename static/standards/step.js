// Step-by-step self-assessment: hide the deduction fields of an item marked 不涉及.
(function () {
  function sync(card) {
    var off = card.querySelector('input[type=radio][value="0"]:checked');
    var block = card.querySelector(".applicable-only");
    if (block) {
      block.classList.toggle("d-none", !!off);
    }
  }
  document.querySelectorAll(".entry-card").forEach(function (card) {
    sync(card);
    card.addEventListener("change", function () { sync(card); });
  });
})();
