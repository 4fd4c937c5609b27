// core/dom.js — building the page: elements with text only (what the server says is never
// markup), and a refusal's messages at the fields it names.
// SPDX-License-Identifier: GPL-3.0-or-later

export const $ = (id) => document.getElementById(id);

// h('button', { type: 'button', class: 'x', onclick: fn, dataset: {id: 1} }, 'Label', child…)
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== 'string') node[name] = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Clears the refusals shown in `form`: at every `.field` (or only `field`) and in its
// `.form-error`.
export function clearFieldErrors(form, field) {
  const fields = field ? [field] : form.querySelectorAll('.field');
  for (const node of fields) {
    const error = node.querySelector('.field-error');
    if (error) error.textContent = '';
    for (const input of node.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }
  const formError = form.querySelector('.form-error');
  if (!field && formError) formError.textContent = '';
}

// A 422's refusals in `form`: each at the `.field` whose data-field names it (its
// `.field-error`, the input marked invalid and described by it), the others in
// `formError` (by default the form's `.form-error`). The first refused input takes the focus.
export function fieldErrors(form, apiError, formError = form.querySelector('.form-error')) {
  const elsewhere = [];
  let first = null;
  const problem = apiError && apiError.problem !== undefined ? apiError.problem : apiError;
  const errors = (problem && Array.isArray(problem.errors) ? problem.errors : []).filter((e) => e && e.message);
  for (const e of errors) {
    const field = e.field
      ? [...form.querySelectorAll('.field')].find((f) => f.dataset.field === e.field) : null;
    const error = field && field.querySelector('.field-error');
    if (!error) {
      elsewhere.push(e.field ? `${e.field}: ${e.message}` : String(e.message));
      continue;
    }
    error.textContent = error.textContent ? `${error.textContent}; ${e.message}` : String(e.message);
    const input = field.querySelector('input, select, textarea');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (!input.getAttribute('aria-describedby')) input.setAttribute('aria-describedby', error.id);
      first = first || input;
    }
  }
  if (formError && (first || elsewhere.length)) formError.textContent = elsewhere.join('; ');
  if (formError && errors.length === 0 && apiError && apiError.message) formError.textContent = apiError.message;
  if (first) first.focus();
}

// Clears the refusals shown at `field`, or at every field of `form` and in `formError`.
export function clearErrorsIn(form, formError, field) {
  clearFieldErrors(form, field);
  if (!field && formError) formError.textContent = '';
}

// A 422's refusals (a problem document) in `form`: each at the `.field` whose data-field it
// names, the others in `formError`.
export function showErrorsIn(form, formError, problem) {
  fieldErrors(form, { problem }, formError);
}

// A tagged template for our own static markup (pages/*-markup.js): the values in it are
// escaped, translations being text whatever characters they hold.
export function html(strings, ...values) {
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return strings.reduce((out, part, i) => out + part + (i < values.length ? escape(values[i]) : ''), '');
}
