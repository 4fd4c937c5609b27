// core/i18n.js — the console's translations: the project's one catalogue (po/*.po), the
// entries the console uses turned into /locale/<lang>-<hash>.json by build-aux/web-build.py.
// boot.js loads the browser's language before any other module runs, so strings evaluated
// when a module loads are translated too. What is missing stays English; what the server says
// (problem details) stays as the server says it.
//
// _('Text'), C_('context', 'Text'), ngettext('One order', '{n} orders', n) and N_('Text') (marks
// for extraction, translated where it is shown) are read by xgettext (po/POTFILES.in). Values go
// in by name: fill(_('Since {time}'), { time }).
// SPDX-License-Identifier: GPL-3.0-or-later

const OVERRIDE_KEY = 'bourse.language';

let catalogue = {};
let pluralOf = (n) => (n === 1 ? 0 : 1);
let current = 'en';

// The plural rules the catalogues may name (the CSP runs no generated code): "n != 1" for the
// others.
const PLURALS = {
  'n!=1': (n) => (n === 1 ? 0 : 1),
  'n>1': (n) => (n > 1 ? 1 : 0),
  '0': () => 0,
};

export function _(msgid) {
  const text = catalogue[msgid];
  return typeof text === 'string' && text !== '' ? text : msgid;
}

export function C_(context, msgid) {
  const text = catalogue[`${context}\u0004${msgid}`];
  return typeof text === 'string' && text !== '' ? text : msgid;
}

export function ngettext(singular, plural, n) {
  const forms = catalogue[singular];
  if (Array.isArray(forms)) {
    const text = forms[pluralOf(n)];
    if (text) return text;
  }
  return n === 1 ? singular : plural;
}

export const N_ = (msgid) => msgid;

// "{name}" in `template` replaced by values.name (as text); an unknown name stays as it is.
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

// The language in use ("en" when no catalogue is), as the page's lang attribute says.
export function language() {
  return current;
}

// The languages a catalogue exists for ({ de: "/locale/de-HASH.json" }), from index.html.
export function available() {
  const meta = document.querySelector('meta[name="bourse-locales"]');
  try {
    return meta ? JSON.parse(meta.content) : {};
  } catch (error) {
    return {};
  }
}

// This browser's choice in Settings, or null to follow the browser's languages.
export function override() {
  try {
    return localStorage.getItem(OVERRIDE_KEY);
  } catch (error) {
    return null;
  }
}

// Keeps `lang` (null: the browser's) for this browser; it applies from the next load.
export function setOverride(lang) {
  try {
    if (lang) localStorage.setItem(OVERRIDE_KEY, lang);
    else localStorage.removeItem(OVERRIDE_KEY);
  } catch (error) {
    // Storage refused (a private window's quota): the choice lasts this page only.
  }
}

// The first of the wanted languages that has a catalogue ("de-DE" finds "de"); English, which
// needs none, ends the search.
export function pick(wanted, catalogues) {
  for (const tag of wanted) {
    if (!tag) continue;
    const lower = tag.toLowerCase().replace('_', '-');
    const base = lower.split('-')[0];
    const found = Object.keys(catalogues).find((l) => l.toLowerCase().replace('_', '-') === lower) ||
                  Object.keys(catalogues).find((l) => l.toLowerCase() === base);
    if (found) return found;
    if (base === 'en') return 'en';
  }
  return 'en';
}

// Loads the catalogue of the language chosen (Settings, else the browser's), and says it in
// <html lang>. English when there is none or it cannot be read.
export async function load() {
  const catalogues = available();
  const wanted = [override(), ...(navigator.languages || [navigator.language])];
  const lang = pick(wanted, catalogues);
  if (lang !== 'en' && catalogues[lang]) {
    try {
      const response = await fetch(catalogues[lang]);
      if (response.ok) {
        const data = await response.json();
        catalogue = data.messages || {};
        pluralOf = PLURALS[String(data.plural || '').replace(/\s+/g, '')] || PLURALS['n!=1'];
        current = lang;
      }
    } catch (error) {
      catalogue = {};
    }
  }
  document.documentElement.lang = current === 'en' ? 'en' : current.replace('_', '-');
}
