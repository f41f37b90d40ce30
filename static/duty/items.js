// Formsets of list items: "增加一条" clones the empty form (<template id="empty-PREFIX">) and bumps TOTAL_FORMS.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-add-row]") : null;
  if (!button) {
    return;
  }
  var prefix = button.getAttribute("data-add-row");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var container = document.querySelector('[data-formset="' + prefix + '"]');
  var template = document.getElementById("empty-" + prefix);
  if (!total || !container || !template) {
    return;
  }
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index));
  container.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
});
