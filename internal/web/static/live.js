// live.js keeps a page current while other people work: it listens to the
// portfolio's server-sent events and, when something the page shows has
// changed, fetches the page again (its data-live-url) and swaps in the parts
// marked data-live-region. Focus, and the element it was on, are kept; a
// region holding a form someone is filling in is left alone, with a note.
//
// Other scripts may call lpmLive.hold() to postpone refreshes (while a card
// is being dragged), lpmLive.release() to allow them again, and
// lpmLive.refresh() to refresh now. After each refresh a "lpm:refreshed"
// event is dispatched on document.
(function () {
  'use strict';

  var regions = document.querySelectorAll('[data-live-region]');
  var holds = 0;
  var pending = false;
  var running = null;
  var timer = 0;

  function focusKey() {
    var el = document.activeElement;
    if (!el || el === document.body) return null;
    var anchor = el.closest('[id]');
    if (!anchor) return null;
    return {
      anchor: anchor.id,
      tag: el.tagName,
      value: el.getAttribute('value'),
      href: el.getAttribute('href'),
      to: el.getAttribute('data-to')
    };
  }

  function restoreFocus(key) {
    if (!key) return;
    var anchor = document.getElementById(key.anchor);
    if (!anchor) return;
    if (anchor.tagName === key.tag && !key.value && !key.href) {
      anchor.focus();
      return;
    }
    var candidates = anchor.querySelectorAll(key.tag.toLowerCase());
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      if (c.getAttribute('value') === key.value && c.getAttribute('href') === key.href &&
          c.getAttribute('data-to') === key.to) {
        c.focus();
        return;
      }
    }
    // The control is gone (the card moved on): stay with what it was part of.
    var first = anchor.querySelector('a[href], button, input, select, textarea');
    if (first) first.focus();
  }

  // editing reports whether someone is filling in a form inside el: a field
  // has focus or differs from what the page was loaded with.
  function editing(el) {
    var active = document.activeElement;
    if (active && el.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.type !== 'hidden') {
      return true;
    }
    var fields = el.querySelectorAll('input, textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === 'hidden') continue;
      if (f.tagName === 'SELECT') {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        }
      } else if (f.type === 'checkbox' || f.type === 'radio') {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh() {
    if (holds > 0 || running) {
      pending = true;
      return running || Promise.resolve();
    }
    pending = false;
    running = fetch(url, {
      credentials: 'same-origin',
      // Not the person's activity: an open page must let an idle session end.
      headers: { 'Accept': 'text/html', 'X-Lpm-Refresh': '1' },
      cache: 'no-store',
      redirect: 'error'
    }).then(function (res) {
      if (!res.ok) throw new Error('status ' + res.status);
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html');
      var key = focusKey();
      var current = document.querySelectorAll('[data-live-region]');
      var kept = false;
      for (var i = 0; i < current.length; i++) {
        var next = fresh.getElementById(current[i].id);
        if (!next) continue;
        if (editing(current[i])) {
          kept = true;
          continue;
        }
        current[i].replaceWith(document.importNode(next, true));
      }
      restoreFocus(key);
      status(kept ? 'Someone changed this page while you were filling in a form; reload it after sending yours to see their change.' : '');
      document.dispatchEvent(new CustomEvent('lpm:refreshed'));
    }).catch(function () {
      status('Could not refresh the page (you may have been signed out); reload it to see the latest.');
    }).then(function () {
      running = null;
      if (pending) schedule();
    });
    return running;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  }

  function status(text) {
    var el = document.getElementById('live-status');
    if (el) el.textContent = text;
  }

  window.lpmLive = {
    hold: function () { holds++; },
    release: function () {
      holds = Math.max(0, holds - 1);
      if (holds === 0 && pending) schedule();
    },
    refresh: refresh
  };

  if (!regions.length || !window.EventSource) return;
  var root = regions[0];
  var portfolio = root.getAttribute('data-live-portfolio');
  var epic = root.getAttribute('data-live-epic');
  var url = root.getAttribute('data-live-url') || window.location.pathname + window.location.search;
  if (!portfolio) return;

  var connectedBefore = false;
  var failures = 0;
  var source = null;

  // connect opens the event stream. The browser reconnects by itself after a
  // dropped connection; after a refused one (a proxy's 502 during a restart,
  // a 429) it gives up, so this reconnects with a growing, jittered delay,
  // and so do thousands of pages at once without arriving together.
  function connect() {
    source = new EventSource('/portfolios/' + encodeURIComponent(portfolio) + '/events');
    source.addEventListener('ready', function () {
      failures = 0;
      status('');
      // After a reconnection, changes may have been missed: refresh, at a
      // moment of this page's own.
      if (connectedBefore) setTimeout(schedule, Math.random() * 2000);
      connectedBefore = true;
    });
    source.addEventListener('change', function (ev) {
      var change;
      try { change = JSON.parse(ev.data); } catch (e) { return; }
      if (epic && change.action !== 'resync' && String(change.epic) !== epic &&
          change.object !== 'theme' && change.object !== 'value_stream' && change.object !== 'kanban_column') {
        return;
      }
      schedule();
    });
    source.addEventListener('end', function () {
      source.close();
      status('Live updates stopped: your session ended or your access changed. Reload the page.');
    });
    source.addEventListener('error', function () {
      if (source.readyState !== EventSource.CLOSED) return;
      failures++;
      if (failures > 8) {
        status('Live updates stopped. Reload the page to see the latest.');
        return;
      }
      var delay = Math.min(60000, 1000 * Math.pow(2, failures)) * (0.5 + Math.random());
      setTimeout(connect, delay);
    });
  }
  connect();
})();
