// The live countdown of a timed quiz attempt (app/templates/learning/_countdown.html).
// The page already says the deadline and the minutes left when it was drawn; this script counts
// the seconds down from the server's figure (so a wrong clock on the device does not matter),
// announces the last five minutes and the last one to screen readers, and at zero submits the
// form marked data-autosubmit, as Moodle does. The server enforces the limit without it. What it
// announces comes from the page, in the reader's language (data-five, data-one, data-up).
(function () {
  "use strict";
  var box = document.getElementById("countdown");
  if (!box) {
    return;
  }
  var total = parseInt(box.getAttribute("data-seconds"), 10);
  if (isNaN(total)) {
    return;
  }
  var left = box.querySelector(".countdown-left");
  var alert = box.querySelector(".countdown-alert");
  var fixed = box.querySelector(".countdown-static");
  var started = Date.now();
  var announced = {};
  var submitted = false;
  if (fixed) {
    fixed.hidden = true;
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return (h > 0 ? h + ":" + two(m) : String(m)) + ":" + two(s);
  }

  function announce(seconds) {
    [300, 60].forEach(function (mark) {
      if (seconds <= mark && !announced[mark]) {
        announced[mark] = true;
        if (total > mark) {
          alert.textContent = box.getAttribute(mark === 60 ? "data-one" : "data-five");
        }
      }
    });
  }

  function submit() {
    var form = document.querySelector("form[data-autosubmit]");
    if (!form || submitted) {
      return;
    }
    submitted = true;
    var action = form.getAttribute("data-autosubmit");
    if (action) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = "action";
      field.value = action;
      form.appendChild(field);
    }
    alert.textContent = box.getAttribute("data-up");
    form.submit();
  }

  function tick() {
    var seconds = Math.max(0, total - Math.floor((Date.now() - started) / 1000));
    left.textContent = format(seconds);
    announce(seconds);
    if (seconds === 0) {
      submit();
      return;
    }
    window.setTimeout(tick, 1000 - ((Date.now() - started) % 1000));
  }

  tick();
})();
