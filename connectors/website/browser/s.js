/*!
 * Sourceline first-party source capture. Add to every page of the practice's site:
 *   <script async src="https://APP/s.js" data-collect="https://APP/hooks/SECRET/collect"></script>
 * It remembers where the visitor first and last came from (UTM parameters, Google/Microsoft/Meta click ids, referrer,
 * landing page) in a first-party cookie, copies them into form fields marked for it (Gravity Forms hidden fields with
 * the CSS class `sl-utm_source`, `sl-gclid`, … or any input named `utm_source`, `gclid`, …), and reports taps on
 * `tel:` links as click-to-call leads. It sends nothing about the visitor but this marketing context.
 */
(function () {
  'use strict';
  var COOKIE = '_sl_src';
  var DAYS = 90;
  var PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'utm_id', 'gclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid'];
  var script = document.currentScript || document.querySelector('script[data-collect]');
  var collectUrl = script && script.getAttribute('data-collect');

  function readCookie() {
    var match = document.cookie.match(new RegExp('(?:^|; )' + COOKIE + '=([^;]*)'));
    if (!match) return null;
    try {
      return JSON.parse(decodeURIComponent(match[1]));
    } catch (e) {
      return null;
    }
  }

  function writeCookie(value) {
    var expires = new Date(Date.now() + DAYS * 864e5).toUTCString();
    var secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = COOKIE + '=' + encodeURIComponent(JSON.stringify(value)) + '; expires=' + expires + '; path=/; SameSite=Lax' + secure;
  }

  function externalReferrer() {
    if (!document.referrer) return '';
    try {
      return new URL(document.referrer).hostname === location.hostname ? '' : document.referrer;
    } catch (e) {
      return '';
    }
  }

  // A new touch starts when the visitor arrives with campaign parameters or from another site; browsing within the
  // site keeps the current one, so a form on /contact still carries the ad click that landed on /.
  function touchFromThisPage() {
    var query = new URLSearchParams(location.search);
    var touch = {};
    var campaign = false;
    for (var i = 0; i < PARAMS.length; i++) {
      var value = query.get(PARAMS[i]);
      if (value) {
        touch[PARAMS[i]] = value.slice(0, 300);
        campaign = true;
      }
    }
    var referrer = externalReferrer();
    if (!campaign && !referrer) return null;
    touch.referrer = referrer.slice(0, 500);
    touch.landing_page = (location.origin + location.pathname + location.search).slice(0, 1000);
    touch.ts = new Date().toISOString();
    return touch;
  }

  var state = readCookie() || {};
  var arrived = touchFromThisPage();
  if (arrived) {
    if (!state.first) state.first = arrived;
    state.last = arrived;
  } else if (!state.first) {
    // A direct visit: remember it as such so later forms say "direct" rather than nothing.
    state.first = state.last = { referrer: '', landing_page: (location.origin + location.pathname).slice(0, 1000), ts: new Date().toISOString() };
  }
  writeCookie(state);

  function valuesForFields() {
    var last = state.last || {};
    var values = {};
    for (var i = 0; i < PARAMS.length; i++) values[PARAMS[i]] = last[PARAMS[i]] || '';
    values.referrer = last.referrer || '';
    values.landing_page = last.landing_page || '';
    values.first_touch_ts = (state.first && state.first.ts) || '';
    var ga = document.cookie.match(/(?:^|; )_ga=GA\d\.\d\.(\d+\.\d+)/);
    values.ga_client_id = ga ? ga[1] : '';
    return values;
  }

  function fillForms(root) {
    var values = valuesForFields();
    for (var name in values) {
      if (!values[name]) continue;
      var fields = (root || document).querySelectorAll('.sl-' + name + ' input, input.sl-' + name + ', input[name="' + name + '"]');
      for (var i = 0; i < fields.length; i++) if (!fields[i].value) fields[i].value = values[name];
    }
  }

  function send(event) {
    if (!collectUrl) return;
    var body = JSON.stringify(event);
    // text/plain keeps the request "simple": no CORS preflight, and sendBeacon survives the page navigating away.
    if (navigator.sendBeacon && navigator.sendBeacon(collectUrl, new Blob([body], { type: 'text/plain' }))) return;
    try {
      fetch(collectUrl, { method: 'POST', body: body, keepalive: true, mode: 'no-cors', headers: { 'Content-Type': 'text/plain' } });
    } catch (e) {
      /* nothing else to try */
    }
  }

  function eventId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  document.addEventListener(
    'click',
    function (e) {
      var link = e.target && e.target.closest ? e.target.closest('a[href^="tel:"]') : null;
      if (!link) return;
      send({
        type: 'tel_click',
        id: eventId(),
        ts: new Date().toISOString(),
        tel: link.getAttribute('href').slice(4).slice(0, 40),
        page: (location.origin + location.pathname).slice(0, 1000),
        first: state.first || null,
        last: state.last || null,
      });
    },
    true,
  );
  // Forms rendered now, re-rendered later (Gravity Forms' AJAX pages), or filled just before submitting.
  document.addEventListener('submit', function (e) { fillForms(e.target); }, true);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { fillForms(); });
  else fillForms();
  var scheduled = false;
  if (window.MutationObserver) {
    new MutationObserver(function () {
      if (scheduled) return;
      scheduled = true;
      setTimeout(function () { scheduled = false; fillForms(); }, 50);
    }).observe(document.documentElement, { childList: true, subtree: true });
  }
})();
