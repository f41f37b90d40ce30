// Tick or untick every checkbox of a group: <input type="checkbox" data-check-all="name-of-the-checkboxes">
document.addEventListener("change", function (event) {
  var target = event.target;
  if (!target.hasAttribute || !target.hasAttribute("data-check-all")) {
    return;
  }
  var name = target.getAttribute("data-check-all");
  var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].checked = target.checked;
  }
});
