/**
 * The checkout page's script, served from /pay/assets/checkout.<hash>.js. Plain ES2017, no
 * framework, no inline code (the page's CSP allows only 'self'). The page works without it:
 * this only upgrades the form post to fetch, shows the outcome in place, polls while the
 * payment waits for its SMS or a staff decision, and adds copy buttons.
 *
 * Kept as text rather than a compiled module: the bundlers that run the core (tsx, electron-vite)
 * would wrap a serialised function in helpers the browser does not have. The e2e test in
 * test/e2e/checkout-page.test.ts runs it in Chromium; the unit test at least parses it.
 */
export const CHECKOUT_JS = String.raw`(function () {
  'use strict';
  var POLL_MS = 3000;
  var root = document.getElementById('checkout');
  if (!root) return;
  var sessionId = root.getAttribute('data-session') || '';
  var apiBase = '/api/checkout/' + encodeURIComponent(sessionId);
  var texts = {
    rejected: root.getAttribute('data-text-rejected') || '',
    offline: root.getAttribute('data-text-offline') || '',
    failed: root.getAttribute('data-text-failed') || '',
    busy: root.getAttribute('data-text-busy') || '',
    copied: root.getAttribute('data-text-copied') || ''
  };
  var form = document.getElementById('pay-form');
  var txnid = document.getElementById('txnid');
  var verify = document.getElementById('verify');
  var notice = document.getElementById('notice');
  var waiting = document.getElementById('waiting');
  var waitingText = document.getElementById('waiting-text');
  var details = document.getElementById('pay-details');
  var waitingTxnidLine = document.getElementById('waiting-txnid-line');
  var waitingTxnid = document.getElementById('waiting-txnid');
  var defaultWaitingText = waitingText ? waitingText.textContent : '';
  var pollTimer = null;
  var busy = false;

  // An error shown from ?error= belongs to the submit that caused it, not to a reload.
  if (window.history && window.history.replaceState && /[?&]error=/.test(window.location.search)) {
    window.history.replaceState(null, '', window.location.pathname);
  }

  function isWebUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url);
  }

  function leave(url) {
    stopPolling();
    if (isWebUrl(url)) window.location.assign(url);
    else window.location.reload();
  }

  function showNotice(text) {
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  function hideNotice() {
    if (notice) notice.hidden = true;
  }

  // While waiting, the form folds away behind "Entered a wrong transaction ID?".
  function foldForm(fold) {
    if (!details) return;
    if (fold) details.classList.add('collapsible');
    else details.classList.remove('collapsible');
    details.open = !fold;
  }

  function showWaiting(text, submitted) {
    hideNotice();
    if (waiting) {
      if (waitingText) waitingText.textContent = text || defaultWaitingText;
      if (waitingTxnid && waitingTxnidLine && submitted) {
        waitingTxnid.textContent = submitted;
        waitingTxnidLine.hidden = false;
      }
      waiting.hidden = false;
    }
    foldForm(true);
    startPolling();
  }

  function showFailure(text) {
    stopPolling();
    if (waiting) waiting.hidden = true;
    foldForm(false);
    showNotice(text);
    if (txnid) {
      txnid.value = '';
      txnid.focus();
    }
  }

  function setBusy(on) {
    busy = on;
    if (!verify) return;
    if (!verify.getAttribute('data-label')) verify.setAttribute('data-label', verify.textContent || '');
    verify.disabled = on;
    verify.textContent = on ? texts.busy : verify.getAttribute('data-label');
  }

  function stopPolling() {
    if (pollTimer !== null) window.clearTimeout(pollTimer);
    pollTimer = null;
  }

  function startPolling() {
    stopPolling();
    pollTimer = window.setTimeout(poll, POLL_MS);
  }

  function poll() {
    pollTimer = null;
    fetch(apiBase + '/status', { headers: { accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' })
      .then(function (response) {
        if (response.status === 404) return { gone: true };
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        if (state && state.gone) return leave(null);
        if (!state) return startPolling();
        if (state.status !== 'pending') return leave(state.redirect_url);
        if (state.attempt && state.attempt.status === 'failed') return showFailure(texts.rejected);
        startPolling();
      })
      .catch(function () {
        startPolling();
      });
  }

  function handleSubmit(result, submitted) {
    var body = result.body || {};
    if (result.status === 200 && body.status === 'success') return leave(body.redirect_url);
    if (result.status === 202) {
      if (txnid) txnid.value = '';
      // The review wording ("being checked by the shop") is worth showing; the plain one repeats the heading.
      return showWaiting(body.review === true && typeof body.message === 'string' ? body.message : '', submitted);
    }
    if (body.code === 'session_expired' || body.code === 'session_not_pending') return leave(null);
    showNotice(typeof body.error === 'string' && body.error ? body.error : texts.failed);
  }

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) return;
      var payload = { txnid: txnid ? txnid.value.trim() : '' };
      var chosen = form.querySelector('input[name="gateway_id"]:checked');
      if (chosen) payload.gateway_id = chosen.value;
      setBusy(true);
      fetch(form.getAttribute('action') || apiBase + '/submit', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        credentials: 'same-origin'
      })
        .then(function (response) {
          return response.json().then(
            function (body) { return { status: response.status, body: body }; },
            function () { return { status: response.status, body: {} }; }
          );
        })
        .then(function (result) {
          setBusy(false);
          handleSubmit(result, payload.txnid);
        }, function () {
          setBusy(false);
          showNotice(texts.offline);
        });
    });
  }

  function copyWithSelection(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'sr-only';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copied(button) {
    var label = button.getAttribute('data-label') || button.textContent || '';
    button.setAttribute('data-label', label);
    button.setAttribute('data-copied', '');
    button.textContent = texts.copied;
    window.setTimeout(function () {
      button.removeAttribute('data-copied');
      button.textContent = label;
    }, 2000);
  }

  var buttons = document.querySelectorAll('button.copy[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = button.getAttribute('data-copy') || '';
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { copied(button); },
          function () { if (copyWithSelection(text)) copied(button); }
        );
      } else if (copyWithSelection(text)) {
        copied(button);
      }
    });
  });

  if (root.getAttribute('data-state') === 'waiting') startPolling();
})();
`;
