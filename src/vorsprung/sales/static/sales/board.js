// The pipeline board. A card changes stage when it is dragged to another column
// (SortableJS) or when its "Move to" form is sent (keyboard); either way the move is
// POSTed to the card's stage URL, which answers with the new count and sum of both
// columns. A refused move puts the card back where it was and shows the reason.
(function () {
  "use strict";

  var pendingReason = null; // {resolve, reject} while the lost-reason dialog is open

  function boardText(key) {
    var node = document.getElementById("board-text");
    try {
      return (node && JSON.parse(node.textContent)[key]) || "";
    } catch (e) {
      return "";
    }
  }

  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) {
      // fall back to the cookie
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function showError(text) {
    text = text || boardText("requestFailed");
    if (window.vorsprungShowError) window.vorsprungShowError(text);
  }

  function announce(text) {
    var status = document.getElementById("board-status");
    if (status) status.textContent = text || "";
  }

  function columnFor(stageId) {
    return document.querySelector(
      '#board-area .board-column[data-stage-id="' + String(stageId) + '"]'
    );
  }

  function stageSelect(card) {
    return card.querySelector(".move-form select[name=stage]");
  }

  function refreshEmpty(cards) {
    if (!cards) return;
    var empty = cards.querySelector(".empty-column");
    if (empty) empty.hidden = !!cards.querySelector(".board-card");
  }

  // Cards stay above a column's "Load more" button and its "No opportunities" note.
  function place(card, cards, before) {
    var anchor =
      before && before.parentNode === cards
        ? before
        : cards.querySelector(".load-more, .empty-column");
    cards.insertBefore(card, anchor || null);
  }

  function originOf(card) {
    return { cards: card.parentNode, next: card.nextElementSibling, stageId: card.dataset.stageId };
  }

  function putBack(card, origin) {
    if (!origin) return;
    var current = card.parentNode;
    place(card, origin.cards, origin.next);
    var select = stageSelect(card);
    if (select) select.value = origin.stageId;
    refreshEmpty(current);
    refreshEmpty(origin.cards);
  }

  function setBusy(card, busy) {
    card.classList.toggle("opacity-50", busy);
    card.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function refusal(response) {
    var header = response.headers.get("X-Error-Message");
    if (header) {
      try {
        return Promise.resolve(decodeURIComponent(header));
      } catch (e) {
        return Promise.resolve(header);
      }
    }
    return response.text().then(function (body) {
      var type = response.headers.get("Content-Type") || "";
      return type.indexOf("text/plain") === 0 ? body : "";
    });
  }

  function applyColumns(columns) {
    Object.keys(columns || {}).forEach(function (stageId) {
      var column = columnFor(stageId);
      if (!column) return;
      var data = columns[stageId];
      var count = column.querySelector(".column-count");
      if (count) {
        count.textContent = data.count_text;
        count.dataset.count = String(data.count);
      }
      var sum = column.querySelector(".column-sum");
      if (sum) sum.textContent = data.sum_text;
    });
  }

  function send(card, stageId, reason) {
    var form = card.querySelector(".move-form");
    var area = document.getElementById("board-area");
    var query = area ? area.dataset.boardQuery : "";
    var body = new URLSearchParams();
    body.set("stage", stageId);
    if (reason) {
      body.set("reason", reason.reason || "");
      body.set("reason_other", reason.other || "");
    }
    return fetch(form.getAttribute("action") + (query ? "?" + query : ""), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrfToken(),
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
      },
      body: body.toString(),
    }).then(function (response) {
      if (response.ok) return response.json();
      return refusal(response).then(function (text) {
        throw { userMessage: text };
      });
    });
  }

  function commit(card, origin, stageId, reason) {
    setBusy(card, true);
    return send(card, stageId, reason)
      .then(function (data) {
        card.dataset.stageId = String(data.stage);
        var select = stageSelect(card);
        if (select) select.value = String(data.stage);
        applyColumns(data.columns);
        refreshEmpty(origin.cards);
        refreshEmpty(card.parentNode);
        announce(data.message);
        card.dispatchEvent(new CustomEvent("board:moved", { bubbles: true, detail: data }));
      })
      .catch(function (error) {
        putBack(card, origin);
        showError(error && error.userMessage);
        card.dispatchEvent(new CustomEvent("board:refused", { bubbles: true, detail: error }));
      })
      .then(function () {
        setBusy(card, false);
      });
  }

  function settleReason(confirmed) {
    var dialog = document.getElementById("lost-dialog");
    var pending = pendingReason;
    pendingReason = null;
    if (dialog && dialog.open) dialog.close();
    if (!pending) return;
    if (confirmed) {
      var form = dialog.querySelector("form");
      pending.resolve({
        reason: form.elements.reason ? form.elements.reason.value : "",
        other: form.elements.reason_other ? form.elements.reason_other.value : "",
      });
    } else {
      pending.reject();
    }
  }

  function askReason(card) {
    var dialog = document.getElementById("lost-dialog");
    if (pendingReason) {
      // A modal dialog blocks the board, so this hardly happens; the older move goes back.
      pendingReason.reject();
      pendingReason = null;
    }
    return new Promise(function (resolve, reject) {
      if (!dialog || typeof dialog.showModal !== "function") {
        reject();
        return;
      }
      dialog.querySelector("form").reset();
      var name = dialog.querySelector(".lost-dialog-name");
      var title = card.querySelector(".card-name");
      if (name && title) name.textContent = title.textContent;
      pendingReason = { resolve: resolve, reject: reject };
      if (!dialog.open) dialog.showModal();
      var first = dialog.querySelector("select, input");
      if (first) first.focus();
    });
  }

  function bindDialog() {
    var dialog = document.getElementById("lost-dialog");
    if (!dialog || dialog.dataset.bound) return;
    dialog.dataset.bound = "1";
    dialog.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      settleReason(true);
    });
    dialog.querySelector("[data-action=cancel]").addEventListener("click", function () {
      settleReason(false);
    });
    // Escape, or the dialog closed any other way: the card goes back.
    dialog.addEventListener("close", function () {
      settleReason(false);
    });
  }

  // Move ``card`` (already in its new column) to ``stageId``; ``origin`` says where it was.
  function move(card, origin, stageId) {
    if (String(stageId) === String(origin.stageId)) {
      putBack(card, origin);
      return Promise.resolve();
    }
    var column = columnFor(stageId);
    if (column && column.dataset.stageKind === "lost") {
      return askReason(card).then(
        function (reason) {
          return commit(card, origin, stageId, reason);
        },
        function () {
          putBack(card, origin);
        }
      );
    }
    return commit(card, origin, stageId, null);
  }

  function initColumn(cards) {
    if (cards.dataset.sortable || !window.Sortable) return;
    cards.dataset.sortable = "ready";
    window.Sortable.create(cards, {
      group: "opportunities",
      draggable: ".board-card",
      filter: ".move-form",
      preventOnFilter: false,
      animation: 150,
      onChoose: function (event) {
        event.item.boardOrigin = originOf(event.item);
      },
      onEnd: function (event) {
        var card = event.item;
        var origin = card.boardOrigin;
        delete card.boardOrigin;
        if (!origin || event.to === origin.cards) {
          putBack(card, origin);
          return;
        }
        var stop = event.to.querySelector(".load-more, .empty-column");
        if (stop && stop.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING) {
          place(card, event.to, null);
        }
        move(card, origin, event.to.dataset.stageId);
      },
    });
  }

  function init(root) {
    if (!root || !root.querySelectorAll) return;
    bindDialog();
    if (root.matches && root.matches(".board-column .cards")) initColumn(root);
    root.querySelectorAll(".board-column .cards").forEach(initColumn);
  }

  // The keyboard way: the card's "Move to" form moves it like a drop would.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("move-form")) return;
    var card = form.closest(".board-card");
    if (!card || !form.closest("#board-area")) return;
    event.preventDefault();
    var select = stageSelect(card);
    var stageId = select.value;
    if (stageId === card.dataset.stageId) return;
    var origin = originOf(card);
    var column = columnFor(stageId);
    var target = column && column.querySelector(".cards");
    if (target) place(card, target, target.querySelector(".board-card"));
    select.value = stageId;
    select.focus();
    move(card, origin, stageId).then(function () {
      select.focus();
    });
  });

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  }
})();
