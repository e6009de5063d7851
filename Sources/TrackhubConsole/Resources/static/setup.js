// Configurar, step 3: "aguardando o webhook de teste…" follows /setup/gateway/status (Server-Sent
// Events) and turns green when the gateway's test delivery authenticates, or says the signature
// does not match. Without script the page shows the state of its load and a "verificar de novo" link.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("gateway-wait");
  if (!box || !window.EventSource) { return; }
  var marker = box.querySelector("[data-testid=gateway-live]");
  var text = box.querySelector("[data-field=text]");
  var mark = function (state) {
    marker.setAttribute("data-state", state);
    marker.textContent = marker.getAttribute(state === "live" ? "data-label-live" : "data-label-lost");
  };
  if (box.getAttribute("data-state") === "accepted") { return; }
  var source = new EventSource(box.getAttribute("data-status-url"));
  source.addEventListener("status", function (event) {
    var s = JSON.parse(event.data);
    if (s.state === "unavailable") { mark("lost"); return; }
    text.textContent = s.text;
    box.className = "wait wait-" + s.state;
    box.setAttribute("data-state", s.state);
    mark("live");
    if (s.state === "accepted") {
      source.close();
      var next = box.querySelector("[data-testid=gateway-recheck]");
      next.textContent = next.getAttribute("data-label-continue");
    }
  });
  source.onerror = function () { mark("lost"); };
});
