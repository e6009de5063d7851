// Trackhub console: the few behaviours that need script. Pages work without it.
document.addEventListener("DOMContentLoaded", function () {
  // A select or input marked data-autosubmit submits its form when changed (tenant picker, day).
  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Buttons marked data-copy copy the text of the element they name.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.setAttribute("data-copied", "true");
          if (button.getAttribute("data-label-copied")) { button.textContent = button.getAttribute("data-label-copied"); }
        }, function () {});
      }
    });
  });
});
