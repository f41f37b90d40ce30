// Assessment form: show only the factor selects of the chosen method (LEC / LS / MES).
(function () {
  var select = document.querySelector("[data-method-select]");
  var mapNode = document.getElementById("band-methods");
  if (!select || !mapNode) { return; }
  var methods = JSON.parse(mapNode.textContent);
  function update() {
    var method = methods[select.value];
    document.querySelectorAll("[data-method-group]").forEach(function (group) {
      var on = group.getAttribute("data-method-group") === method;
      group.hidden = !on;
      group.querySelectorAll("select").forEach(function (s) { s.required = on; });
    });
  }
  select.addEventListener("change", update);
  update();
})();
