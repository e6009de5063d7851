// Ao vivo: the figures of /live, refreshed from its Server-Sent Events stream. The marker says
// "ao vivo" while events arrive, and "reconectando" when the stream drops (EventSource retries
// by itself). Without script, or without EventSource, the page keeps the figures of its load.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("live");
  var marker = document.querySelector("[data-testid=live-marker]");
  if (!root || !marker || !window.EventSource) { return; }
  var field = function (name) { return root.querySelector("[data-field=" + name + "]"); };
  var mark = function (state) {
    marker.setAttribute("data-state", state);
    marker.textContent = marker.getAttribute(state === "live" ? "data-label-live" : "data-label-lost");
  };
  var source = new EventSource(root.getAttribute("data-live-url"));
  source.addEventListener("status", function (event) {
    var s = JSON.parse(event.data);
    ["headline", "lag", "pending", "sends", "retries", "dead_letters", "at"].forEach(function (name) {
      var el = field(name);
      if (el) { el.textContent = s[name]; }
    });
    var level = field("level");
    level.className = "status status-" + s.level;
    level.setAttribute("data-level", s.level);
    var paused = field("paused");
    paused.textContent = "";
    var lines = s.paused.length ? s.paused : [paused.getAttribute("data-empty")];
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.className = "row";
      li.textContent = line;
      paused.appendChild(li);
    });
    mark("live");
  });
  source.addEventListener("unavailable", function () { mark("lost"); });
  source.onerror = function () { mark("lost"); };
});
