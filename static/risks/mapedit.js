// Four-colour site map editor: draw a polygon (or place a marker) for each risk point on the plan.
// Works with mouse, pen and touch (pointer events). Coordinates are stored normalised to 0..1.
(function () {
  var svg = document.getElementById("risk-map");
  var form = document.getElementById("shapes-form");
  if (!svg || !form) { return; }
  var SVGNS = "http://www.w3.org/2000/svg";
  var W = parseFloat(svg.getAttribute("data-width"));
  var H = parseFloat(svg.getAttribute("data-height"));
  var shapes = JSON.parse(document.getElementById("shapes-data").textContent);
  var palette = JSON.parse(document.getElementById("palette-data").textContent);
  var layer = document.getElementById("shape-layer");
  var pointSelect = document.getElementById("shape-point");
  var status = document.getElementById("editor-status");
  var input = document.getElementById("id_shapes");
  var mode = null; // "polygon" | "marker" | null
  var draft = [];
  var selected = -1;

  function el(name, attrs) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function say(text) { status.textContent = text; }
  function info(id) { return palette[String(id)] || { name: "（已撤销的风险点）", colour: "#6c757d" }; }

  function render() {
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    shapes.forEach(function (s, i) {
      var p = info(s.risk_point);
      var pts = s.points.map(function (xy) { return [xy[0] * W, xy[1] * H]; });
      var node;
      if (s.kind === "polygon") {
        node = el("polygon", { points: pts.map(function (q) { return q.join(","); }).join(" "), fill: p.colour, stroke: p.colour, "class": "shape" + (i === selected ? " selected" : "") });
      } else {
        node = el("circle", { cx: pts[0][0], cy: pts[0][1], r: svg.getAttribute("data-marker-r"), fill: p.colour, "class": "marker shape" + (i === selected ? " selected" : "") });
      }
      node.setAttribute("data-index", i);
      var title = el("title", {});
      title.textContent = p.name;
      node.appendChild(title);
      layer.appendChild(node);
      var cx = pts.reduce(function (a, q) { return a + q[0]; }, 0) / pts.length;
      var cy = pts.reduce(function (a, q) { return a + q[1]; }, 0) / pts.length;
      var r = Math.max(10, W / 70);
      var label = el("text", { x: cx, y: s.kind === "polygon" ? cy + 5 : cy + r * 2 + 6, "text-anchor": "middle", "class": "label", "font-size": svg.getAttribute("data-label-size") });
      label.textContent = p.name;
      layer.appendChild(label);
    });
    if (draft.length) {
      var d = draft.map(function (xy) { return [xy[0] * W, xy[1] * H]; });
      layer.appendChild(el(d.length > 2 ? "polygon" : "polyline", { points: d.map(function (q) { return q.join(","); }).join(" "), "class": "draft" }));
      d.forEach(function (q) { layer.appendChild(el("circle", { cx: q[0], cy: q[1], r: Math.max(4, W / 200), "class": "vertex" })); });
    }
    input.value = JSON.stringify(shapes);
    document.getElementById("shape-count").textContent = String(shapes.length);
  }

  function toNormalised(evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    var local = pt.matrixTransform(svg.getScreenCTM().inverse());
    var x = Math.min(1, Math.max(0, local.x / W));
    var y = Math.min(1, Math.max(0, local.y / H));
    return [Math.round(x * 100000) / 100000, Math.round(y * 100000) / 100000];
  }

  function start(kind) {
    if (!pointSelect.value) { say("请先选择风险点。"); return; }
    mode = kind; draft = []; selected = -1;
    svg.classList.add("editing");
    say(kind === "polygon" ? "在图上依次点击区域的顶点，至少 3 个，然后点“完成区域”。" : "在图上点击放置标记。");
    render();
  }

  function finish() {
    if (mode !== "polygon") { return; }
    if (draft.length < 3) { say("区域至少需要 3 个顶点。"); return; }
    shapes.push({ risk_point: parseInt(pointSelect.value, 10), kind: "polygon", points: draft });
    mode = null; draft = [];
    svg.classList.remove("editing");
    say("已添加区域。可继续添加，完成后点“保存”。");
    render();
  }

  svg.addEventListener("pointerdown", function (evt) {
    if (mode === "polygon") {
      evt.preventDefault();
      draft.push(toNormalised(evt));
      render();
    } else if (mode === "marker") {
      evt.preventDefault();
      shapes.push({ risk_point: parseInt(pointSelect.value, 10), kind: "marker", points: [toNormalised(evt)] });
      mode = null;
      svg.classList.remove("editing");
      say("已放置标记。完成后点“保存”。");
      render();
    } else {
      var idx = evt.target.getAttribute && evt.target.getAttribute("data-index");
      selected = idx === null || idx === undefined ? -1 : parseInt(idx, 10);
      if (selected >= 0) { say("已选中：" + info(shapes[selected].risk_point).name + "。可点“删除所选”。"); }
      render();
    }
  });

  document.getElementById("btn-polygon").addEventListener("click", function () { start("polygon"); });
  document.getElementById("btn-marker").addEventListener("click", function () { start("marker"); });
  document.getElementById("btn-finish").addEventListener("click", finish);
  document.getElementById("btn-undo").addEventListener("click", function () {
    if (draft.length) { draft.pop(); render(); }
  });
  document.getElementById("btn-delete").addEventListener("click", function () {
    if (selected < 0) { say("请先在图上点选一个图形。"); return; }
    shapes.splice(selected, 1); selected = -1;
    say("已删除。完成后点“保存”。");
    render();
  });
  form.addEventListener("submit", function () {
    if (mode === "polygon" && draft.length >= 3) { finish(); }
    input.value = JSON.stringify(shapes);
  });
  render();
})();
