// The organization picker of the contact form: the suggestions come from the server
// (htmx); picking one puts its id into the hidden input and its name into the text box.
(function () {
  function picker(node) {
    return node.closest("[data-organization-picker]");
  }
  function close(root) {
    root.querySelector("[data-picker-suggestions]").innerHTML = "";
  }
  document.addEventListener("click", function (event) {
    // A click elsewhere closes the suggestions.
    document.querySelectorAll("[data-organization-picker]").forEach(function (root) {
      if (!root.contains(event.target)) close(root);
    });
    var option = event.target.closest("[data-organization-id]");
    if (!option) return;
    var root = picker(option);
    if (!root) return;
    root.querySelector("[data-picker-value]").value = option.dataset.organizationId;
    var text = root.querySelector("[data-picker-text]");
    text.value = option.dataset.organizationName;
    close(root);
    text.focus();
  });
  document.addEventListener("keydown", function (event) {
    var root = picker(event.target);
    if (!root) return;
    var options = Array.prototype.slice.call(root.querySelectorAll("[data-organization-id]"));
    var index = options.indexOf(event.target);
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[Math.min(index + 1, options.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) root.querySelector("[data-picker-text]").focus();
      else options[index - 1].focus();
    } else if (event.key === "Escape") {
      close(root);
      root.querySelector("[data-picker-text]").focus();
    }
  });
})();
