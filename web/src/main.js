// App shell: tabs over the panels (the open panel is part of the URL), the
// page tools (units, copy link, embed snippets), and the offline cache.
import { attributeName } from './components/panel-element.js';
import { panels } from './panels/index.js';
import { currentUnits, setUnits } from './units.js';
import { registerOfflineCache } from './offline.js';
import { getApi, getFirstApi, getFormsApi } from './wasm.js';
import { readParam, writeParams } from './url-state.js';

const nav = document.querySelector('nav.tabs');
const main = document.getElementById('panels');
// ?embed=1: only the open panel, no page chrome (for iframes).
const embedded = readParam('embed') === '1';
// True once the open panel's module answered: panels are created from then on.
let apiLoaded = false;

function currentPanel() {
  const id = readParam('panel');
  return panels.find((panel) => panel.id === id) ?? panels[0];
}

function render() {
  const activeId = currentPanel().id;
  for (const button of nav.querySelectorAll('button')) {
    const active = button.dataset.panel === activeId;
    button.setAttribute('aria-selected', String(active));
    button.tabIndex = active ? 0 : -1;
  }
  if (apiLoaded) createPanel(currentPanel());
  for (const element of main.querySelectorAll('[data-panel]')) {
    element.hidden = element.dataset.panel !== activeId;
  }
  document.getElementById('units-select').value = currentUnits();
  updateEmbedSnippets();
}

function buildTabs() {
  nav.setAttribute('role', 'tablist');
  for (const panel of panels) {
    const button = document.createElement('button');
    button.type = 'button';
    button.role = 'tab';
    button.id = `tab-${panel.id}`;
    button.dataset.panel = panel.id;
    button.textContent = panel.label;
    button.setAttribute('aria-controls', `panel-${panel.id}`);
    button.addEventListener('click', () => {
      writeParams({ panel: panel.id });
      render();
    });
    nav.append(button);
  }
  // Arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern).
  nav.addEventListener('keydown', (event) => {
    const buttons = [...nav.querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const targets = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 };
    if (!(event.key in targets)) return;
    event.preventDefault();
    const next = buttons[(targets[event.key] + buttons.length) % buttons.length];
    next.focus();
    next.click();
  });
}

// A panel's element is created when its tab is first shown, not at start: the
// other panels load the closed-forms module or the calculator, which the first load (the Model
// panel) does without (issue 16). Once created it stays, keeping its state.
function createPanel(panel) {
  if (document.getElementById(`panel-${panel.id}`)) return;
  const element = document.createElement(panel.element);
  element.id = `panel-${panel.id}`;
  element.dataset.panel = panel.id;
  element.setAttribute('role', 'tabpanel');
  element.setAttribute('aria-labelledby', `tab-${panel.id}`);
  // In tab order, whichever panels exist already.
  const next = panels.slice(panels.indexOf(panel) + 1).map((later) => document.getElementById(`panel-${later.id}`)).find(Boolean);
  main.insertBefore(element, next ?? null);
}

function setStatus(text) {
  const status = document.getElementById('toolbar-status');
  status.textContent = text;
  setTimeout(() => { if (status.textContent === text) status.textContent = ''; }, 3000);
}

const escapeAttribute = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

// The iframe shows this exact view without the page chrome; the element
// carries the open panel's inputs as attributes.
function updateEmbedSnippets() {
  const panel = currentPanel();
  const frameUrl = new URL(window.location.href);
  frameUrl.searchParams.set('embed', '1');
  frameUrl.searchParams.set('panel', panel.id);
  const iframe = document.createElement('iframe');
  iframe.setAttribute('src', frameUrl.href);
  iframe.setAttribute('title', `llm-spacetime: ${panel.label}`);
  iframe.setAttribute('width', '100%');
  iframe.setAttribute('height', '900');
  iframe.setAttribute('loading', 'lazy');
  document.getElementById('embed-iframe').value = iframe.outerHTML;

  // Only the panel's own input keys become attributes: nothing else from the URL.
  const prefix = `${panel.id}.`;
  const keys = panel.panelClass?.stateKeys ?? [];
  const attributes = [...new URL(window.location.href).searchParams]
    .filter(([name]) => name.startsWith(prefix) && [...keys, 'pin'].includes(name.slice(prefix.length)))
    .map(([name, value]) => ` ${attributeName(name.slice(prefix.length))}="${escapeAttribute(value)}"`).join('');
  const script = `<script type="module" src="${new URL('embed.js', document.baseURI).href}"></script>`;
  document.getElementById('embed-element').value = panel.embed
    ? `${script}\n<${panel.embed}${attributes}></${panel.embed}>` : 'This panel has no embeddable element yet.';
}

function buildToolbar() {
  const units = document.getElementById('units-select');
  units.addEventListener('change', () => setUnits(units.value));
  document.getElementById('copy-link').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setStatus('Link copied');
    } catch {
      setStatus('Copy failed: select the address bar instead');
    }
  });
  const toggle = document.getElementById('show-embed');
  toggle.addEventListener('click', () => {
    const dialog = document.getElementById('embed-dialog');
    dialog.hidden = !dialog.hidden;
    toggle.setAttribute('aria-expanded', String(!dialog.hidden));
    updateEmbedSnippets();
  });
}

async function start() {
  if (embedded) document.body.classList.add('embedded');
  buildTabs();
  buildToolbar();
  try {
    // The open panel's module alone (a panel class's wasmModule: 'first',
    // 'calculator', else the closed forms): the page is ready when the open
    // panel can show its numbers, and a page opened on another panel than the
    // Model fetches no first-load module it would not use.
    const loaders = { first: getFirstApi, calculator: getApi, forms: getFormsApi };
    await loaders[currentPanel().panelClass.wasmModule ?? 'forms']();
  } catch (error) {
    // load-check.js (a classic script) knows why a load fails here, e.g. in a sandboxed iframe.
    const advice = window.llmSpacetimeLoadAdvice ?? '';
    const status = main.querySelector('.loading') ?? main;
    status.textContent = `Could not load the WebAssembly module: ${error.message}. ${advice}`;
    return;
  }
  main.replaceChildren();
  apiLoaded = true;
  render();
  window.addEventListener('popstate', render);
  // Panels write the URL on every committed change: keep the snippets current.
  for (const method of ['pushState', 'replaceState']) {
    const original = window.history[method].bind(window.history);
    window.history[method] = (...args) => { original(...args); updateEmbedSnippets(); };
  }
  registerOfflineCache();
  document.body.dataset.ready = 'true';
}

start();
