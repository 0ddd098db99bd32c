// board.js lets people move epics on the Kanban board by dragging a card
// to another column (mouse, pen or touch on the card's grip), or with the
// card's move buttons, calling lpm's API. A refused move puts the card back
// and says why; a move that needs a reason (back, to done) asks for it
// first. Without this script the move buttons still work as plain forms.
(function () {
  'use strict';

  // The board element is replaced when the page refreshes live, so events
  // are taken on the document.
  if (!document.getElementById('board')) return;
  function inBoard(el) { return el && el.closest && el.closest('#board'); }
  var csrf = document.querySelector('meta[name="csrf-token"]');
  csrf = csrf ? csrf.getAttribute('content') : '';
  var alertBox = document.getElementById('board-alert');
  var statusBox = document.getElementById('board-status');
  var dialog = document.getElementById('move-dialog');
  var live = window.lpmLive || { hold: function () {}, release: function () {}, refresh: function () { window.location.reload(); } };

  function announce(text) {
    statusBox.textContent = text;
  }

  function showRefusal(text, items) {
    alertBox.textContent = '';
    var p = document.createElement('p');
    p.textContent = text;
    alertBox.appendChild(p);
    if (items && items.length) {
      var ul = document.createElement('ul');
      items.forEach(function (item) {
        var li = document.createElement('li');
        li.textContent = item;
        ul.appendChild(li);
      });
      alertBox.appendChild(ul);
    }
    alertBox.hidden = false;
  }

  function clearRefusal() {
    alertBox.hidden = true;
    alertBox.textContent = '';
  }

  function columnOf(el) { return el.closest('.column'); }

  // focusCard puts focus on the card's link (the card as it is now: a
  // refresh may have replaced it).
  function focusCard(id) {
    var link = document.querySelector('#' + id + ' h3 a');
    if (link) link.focus();
  }
  function titleOf(column) { return column.getAttribute('data-title'); }

  // move asks the API to move card to the column with state `to`; details
  // carries reason and done_reason. It resolves true when the move is made.
  function move(card, to, details, targetColumn) {
    var key = card.getAttribute('data-key');
    var body = { to: to };
    if (details) {
      if (details.reason) body.reason = details.reason;
      if (details.doneReason) body.done_reason = details.doneReason;
    }
    var home = { parent: card.parentNode, next: card.nextSibling };
    // Moving an element in the page takes focus away from it; a keyboard
    // user keeps their place on the card.
    var hadFocus = card.contains(document.activeElement);
    var id = card.id;
    if (targetColumn) {
      // Show it where it is going while the server decides.
      targetColumn.querySelector('.cards').appendChild(card);
      if (hadFocus) focusCard(id);
    }
    card.classList.add('moving');
    card.setAttribute('aria-busy', 'true');
    live.hold();
    return fetch('/api/v1/epics/' + encodeURIComponent(card.getAttribute('data-epic')) + '/transitions', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { ok: res.ok, data: data };
      });
    }, function () {
      return { ok: false, data: { detail: 'lpm could not be reached. Check your connection and try again.' } };
    }).then(function (r) {
      card.classList.remove('moving');
      card.removeAttribute('aria-busy');
      if (r.ok) {
        clearRefusal();
        var msg = key + ' moved to ' + (targetColumn ? titleOf(targetColumn) : to) + '.';
        (r.data.warnings || []).forEach(function (w) { msg += ' Note: ' + w + '.'; });
        if (r.data.pivot_epic) msg += ' The pivot created ' + r.data.pivot_epic.key + ' in the funnel.';
        announce(msg);
        live.release();
        Promise.resolve(live.refresh()).then(function () {
          if (hadFocus) focusCard(id);
        });
        return true;
      }
      // Snap back to where it was.
      home.parent.insertBefore(card, home.next);
      if (hadFocus) focusCard(id);
      var d = r.data || {};
      var items = (d.errors || []).map(function (e) { return e.message; });
      showRefusal(key + ' was not moved: ' + (d.detail || d.title || 'the move was refused') + '.', items);
      live.release();
      return false;
    });
  }

  // ask opens the reason dialog for a move that needs one; it resolves the
  // details, or null when cancelled.
  function ask(card, control, targetTitle) {
    return new Promise(function (resolve) {
      var form = document.getElementById('move-dialog-form');
      var doneBox = document.getElementById('move-dialog-done');
      var select = document.getElementById('move-done-reason');
      var reason = document.getElementById('move-reason');
      document.getElementById('move-dialog-title').textContent =
        'Move ' + card.getAttribute('data-key') + ' to ' + targetTitle;
      reason.value = '';
      select.textContent = '';
      var reasons = control.getAttribute('data-done-reasons');
      doneBox.hidden = !reasons;
      if (reasons) {
        reasons.split(';').forEach(function (pair) {
          var parts = pair.split('=');
          var opt = document.createElement('option');
          opt.value = parts[0];
          opt.textContent = parts.slice(1).join('=');
          select.appendChild(opt);
        });
      }
      function done() {
        dialog.removeEventListener('close', done);
        if (dialog.returnValue === 'move' && reason.value.trim() !== '') {
          resolve({ reason: reason.value, doneReason: reasons ? select.value : '' });
        } else {
          resolve(null);
        }
      }
      dialog.addEventListener('close', done);
      dialog.returnValue = '';
      form.reset();
      dialog.showModal();
      (reasons ? select : reason).focus();
    });
  }

  // attempt moves card to the column with state `to`, asking for a reason
  // first when the move needs one.
  function attempt(card, to, targetColumn) {
    // One move at a time per card: a double click sends one request.
    if (card.classList.contains('moving') || card.hasAttribute('data-asking')) return Promise.resolve(false);
    var control = card.querySelector('.move[data-to="' + to + '"]');
    if (control && control.getAttribute('data-needs-reason') === 'true') {
      card.setAttribute('data-asking', '');
      return ask(card, control, targetColumn ? titleOf(targetColumn) : to).then(function (details) {
        card.removeAttribute('data-asking');
        if (!details) {
          announce('Move of ' + card.getAttribute('data-key') + ' cancelled.');
          return false;
        }
        return move(card, to, details, targetColumn);
      });
    }
    // Without a control the move is not one the viewer may make here; the
    // server says why.
    return move(card, to, null, targetColumn);
  }

  // The move buttons and links: handled here instead of by a page load.
  document.addEventListener('click', function (ev) {
    if (!inBoard(ev.target)) return;
    var control = ev.target.closest('.move');
    if (!control || suppressClick) return;
    ev.preventDefault();
    var card = control.closest('.epic-card');
    var to = control.getAttribute('data-to');
    var target = document.querySelector('#board .column[data-state="' + to + '"]');
    attempt(card, to, target).then(function (moved) {
      if (!moved) control.focus();
    });
  });

  // Dragging, with Pointer Events: mouse and pen anywhere on the card,
  // touch on its grip only (so a finger can still scroll the board).
  var drag = null;
  var suppressClick = false;
  var threshold = 6;

  document.addEventListener('pointerdown', function (ev) {
    // One drag at a time: a second finger or pen is ignored.
    if (drag || ev.button !== 0 || !inBoard(ev.target)) return;
    var card = ev.target.closest('.epic-card');
    if (!card || card.classList.contains('moving')) return;
    if (ev.target.closest('.move, select, input, textarea')) return;
    if (ev.pointerType === 'touch' && !ev.target.closest('.grip')) return;
    drag = { card: card, id: ev.pointerId, x: ev.clientX, y: ev.clientY, active: false, over: null };
  });

  document.addEventListener('pointermove', function (ev) {
    if (!drag || ev.pointerId !== drag.id) return;
    var dx = ev.clientX - drag.x;
    var dy = ev.clientY - drag.y;
    if (!drag.active) {
      if (Math.abs(dx) < threshold && Math.abs(dy) < threshold) return;
      drag.active = true;
      // A copy follows the pointer (the card itself may sit in a column
      // that scrolls, which would clip it); the card stays, dimmed.
      var box = drag.card.getBoundingClientRect();
      drag.ghost = drag.card.cloneNode(true);
      drag.ghost.removeAttribute('id');
      drag.ghost.setAttribute('aria-hidden', 'true');
      drag.ghost.classList.add('drag-ghost');
      drag.ghost.style.left = box.left + 'px';
      drag.ghost.style.top = box.top + 'px';
      drag.ghost.style.width = box.width + 'px';
      document.body.appendChild(drag.ghost);
      drag.card.classList.add('dragging');
      live.hold();
      announce('Dragging ' + drag.card.getAttribute('data-key') + '.');
    }
    ev.preventDefault();
    drag.ghost.style.transform = 'translate(' + dx + 'px, ' + dy + 'px)';
    var under = document.elementFromPoint(ev.clientX, ev.clientY);
    var column = under ? under.closest('#board .column') : null;
    if (column !== drag.over) {
      if (drag.over) drag.over.classList.remove('drop-target');
      if (column && column !== columnOf(drag.card)) column.classList.add('drop-target');
      drag.over = column;
    }
  });

  function endDrag(ev, cancelled) {
    if (!drag || ev.pointerId !== drag.id) return;
    var d = drag;
    drag = null;
    if (!d.active) return;
    d.card.classList.remove('dragging');
    d.ghost.remove();
    if (d.over) d.over.classList.remove('drop-target');
    // The click that ends a drag must not follow the card's link.
    suppressClick = true;
    setTimeout(function () { suppressClick = false; }, 0);
    var from = columnOf(d.card);
    live.release();
    if (cancelled || !d.over || d.over === from) {
      announce('Move of ' + d.card.getAttribute('data-key') + ' cancelled.');
      return;
    }
    attempt(d.card, d.over.getAttribute('data-state'), d.over);
  }
  document.addEventListener('pointerup', function (ev) { endDrag(ev, false); });
  document.addEventListener('pointercancel', function (ev) { endDrag(ev, true); });
  document.addEventListener('click', function (ev) {
    if (suppressClick) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  }, true);
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && drag && drag.active) {
      endDrag({ pointerId: drag.id }, true);
    }
  });
})();
