// docs.js — starts Redoc (its standalone bundle, loaded before this module by docs.html) on
// the server's own OpenAPI document.
// SPDX-License-Identifier: GPL-3.0-or-later

const root = document.getElementById('redoc');

if (window.Redoc) {
  window.Redoc.init('/api/v1/openapi.json', {
    hideDownloadButton: false,
    expandResponses: '200,201',
    // No web fonts from elsewhere: the system's.
    theme: { typography: { fontFamily: 'system-ui, sans-serif', headings: { fontFamily: 'system-ui, sans-serif' } } },
  }, root, () => { document.body.dataset.ready = 'true'; });
} else {
  root.textContent = 'The API reference could not start: its script is missing from this build.';
}
