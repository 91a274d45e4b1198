/* Signature pad for the consent form: finger, pen and mouse through pointer events.
 * Writes a PNG data URL into the hidden field named by data-target. No inline script (strict CSP).
 * Without JavaScript every signing method stays visible and the typed-name and paper options work. */
(function () {
  "use strict";

  function initPad(root) {
    var canvas = root.querySelector("canvas");
    var input = document.getElementById(root.getAttribute("data-target"));
    var clearButton = root.querySelector("[data-clear]");
    var status = root.querySelector("[data-status]");
    if (!canvas || !input || !canvas.getContext) { return; }
    var ctx = canvas.getContext("2d");
    var drawing = false;
    var last = null;
    var dirty = false;

    ctx.lineWidth = 4;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#142a5a";
    ctx.fillStyle = "#142a5a";

    function point(e) {
      var r = canvas.getBoundingClientRect();
      return { x: (e.clientX - r.left) * canvas.width / r.width, y: (e.clientY - r.top) * canvas.height / r.height };
    }

    function say(text) { if (status) { status.textContent = text; } }

    function save() {
      input.value = dirty ? canvas.toDataURL("image/png") : "";
      say(dirty ? root.getAttribute("data-saved") || "Handtekening vastgelegd." : "");
    }

    canvas.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      if (canvas.setPointerCapture) { canvas.setPointerCapture(e.pointerId); }
      drawing = true;
      last = point(e);
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      dirty = true;
    });

    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) { return; }
      e.preventDefault();
      var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      if (!events.length) { events = [e]; }
      events.forEach(function (ev) {
        var p = point(ev);
        ctx.beginPath();
        ctx.moveTo(last.x, last.y);
        ctx.lineTo(p.x, p.y);
        ctx.stroke();
        last = p;
      });
    });

    function end() {
      if (!drawing) { return; }
      drawing = false;
      save();
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("lostpointercapture", end);

    if (clearButton) {
      clearButton.addEventListener("click", function () {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        dirty = false;
        save();
        say("");
      });
    }

    // After a refused submit the page comes back with the drawing in the hidden field: show it again.
    if (input.value.indexOf("data:image/png;base64,") === 0) {
      var img = new Image();
      img.onload = function () { ctx.drawImage(img, 0, 0, canvas.width, canvas.height); dirty = true; };
      img.src = input.value;
    }
  }

  function initMethodChoice(fieldset) {
    var form = fieldset.form || fieldset.closest("form");
    var radios = fieldset.querySelectorAll("input[type=radio]");
    var panels = form.querySelectorAll("[data-method-panel]");
    function update() {
      var chosen = form.querySelector("input[name=method]:checked");
      panels.forEach(function (panel) {
        panel.hidden = !chosen || panel.getAttribute("data-method-panel") !== chosen.value;
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  document.querySelectorAll("[data-signature-pad]").forEach(initPad);
  document.querySelectorAll("[data-method-choice]").forEach(initMethodChoice);
}());
