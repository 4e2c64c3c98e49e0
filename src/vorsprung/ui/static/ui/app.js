// Shows a readable message when an htmx request fails, instead of failing silently.
(function () {
  function showError(text) {
    var template = document.getElementById("error-template");
    var alerts = document.getElementById("alerts");
    if (!template || !alerts) return;
    var node = template.content.firstElementChild.cloneNode(true);
    node.querySelector(".message").textContent = text;
    alerts.appendChild(node);
    // The messages sit above the content: bring this one into view if scrolled away.
    node.scrollIntoView({block: "nearest"});
  }
  // Success messages go away by themselves after a few seconds (not while the pointer or
  // the focus is on them, so there is time to read them); errors stay until closed.
  var DISMISS_AFTER_MS = 6000;
  function dismissLater(alert) {
    var timer = null;
    function start() { stop(); timer = window.setTimeout(close, DISMISS_AFTER_MS); }
    function stop() { if (timer) window.clearTimeout(timer); timer = null; }
    function close() {
      if (window.bootstrap) window.bootstrap.Alert.getOrCreateInstance(alert).close();
      else alert.remove();
    }
    alert.addEventListener("mouseenter", stop);
    alert.addEventListener("focusin", stop);
    alert.addEventListener("mouseleave", start);
    alert.addEventListener("focusout", start);
    start();
  }
  function dismissAllLater(root) {
    root.querySelectorAll("#alerts [data-autodismiss]").forEach(function (alert) {
      if (alert.dataset.autodismiss === "started") return;
      alert.dataset.autodismiss = "started";
      dismissLater(alert);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { dismissAllLater(document); });
  document.addEventListener("htmx:afterSettle", function () { dismissAllLater(document); });
  window.vorsprungShowError = showError;
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = "";
    try {
      var problem = JSON.parse(xhr.responseText);
      text = problem.detail || problem.title || "";
    } catch (e) {
      text = xhr.getResponseHeader("X-Error-Message") || "";
      if (text) text = decodeURIComponent(text);
    }
    if (!text) text = JSON.parse(document.getElementById("ui-text").textContent).requestFailed;
    showError(text);
  });
  document.addEventListener("htmx:sendError", function () {
    showError(JSON.parse(document.getElementById("ui-text").textContent).requestFailed);
  });
  // A "select all" checkbox ticks the row checkboxes of its form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-select-all]")) return;
    var form = box.closest("form");
    form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(
      function (row) { row.checked = box.checked; }
    );
  });
  // A table wider than the screen scrolls sideways; without a link or button inside, a
  // keyboard user could not scroll it, so it takes the focus itself.
  function focusableScrollers(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      var focusable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (scrolls && !focusable && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusableScrollers(event.target); });
  // A part that was just replaced can ask for the focus (the timeline after logging an
  // activity), so that keyboard and screen reader users land where the change shows.
  document.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap]");
    if (!target) return;
    target.removeAttribute("data-focus-after-swap");
    target.focus();
  });
  // A search result of a choice list (the convert wizard's "find another"): choosing it
  // adds it to the list's radio buttons, checked, and moves the focus there.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-pick-into]");
    if (!button) return;
    var list = document.querySelector(button.dataset.pickInto);
    if (!list) return;
    var id = button.dataset.pickName + "-" + button.dataset.pickValue;
    var radio = document.getElementById(id);
    if (!radio) {
      var row = document.createElement("div");
      row.className = "form-check";
      radio = document.createElement("input");
      radio.className = "form-check-input";
      radio.type = "radio";
      radio.name = button.dataset.pickName;
      radio.value = button.dataset.pickValue;
      radio.id = id;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = id;
      label.textContent = button.dataset.pickLabel;
      row.appendChild(radio);
      row.appendChild(label);
      list.appendChild(row);
    }
    radio.checked = true;
    radio.focus();
  });
  // Close the search results with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var results = document.getElementById("search-results");
      if (results) results.innerHTML = "";
    }
  });
})();
