// App shell: tabs over the panels; the open panel is part of the URL.
import { panels } from './panels/index.js';
import { getApi } from './wasm.js';
import { readParam, writeParams } from './url-state.js';

const nav = document.querySelector('nav.tabs');
const main = document.getElementById('panels');

function currentPanelId() {
  const id = readParam('panel');
  return panels.some((panel) => panel.id === id) ? id : panels[0].id;
}

function render() {
  const activeId = currentPanelId();
  for (const button of nav.querySelectorAll('button')) {
    const active = button.dataset.panel === activeId;
    button.setAttribute('aria-selected', String(active));
    button.tabIndex = active ? 0 : -1;
  }
  for (const element of main.querySelectorAll('[data-panel]')) {
    element.hidden = element.dataset.panel !== activeId;
  }
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
  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  nav.addEventListener('keydown', (event) => {
    const buttons = [...nav.querySelectorAll('button')];
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = buttons[(index + step + buttons.length) % buttons.length];
    next.focus();
    next.click();
  });
}

async function start() {
  buildTabs();
  try {
    await getApi();
  } catch (error) {
    main.querySelector('.loading').textContent = `Could not load the WebAssembly module: ${error.message}`;
    return;
  }
  main.replaceChildren();
  for (const panel of panels) {
    const element = document.createElement(panel.element);
    element.id = `panel-${panel.id}`;
    element.dataset.panel = panel.id;
    element.setAttribute('role', 'tabpanel');
    element.setAttribute('aria-labelledby', `tab-${panel.id}`);
    main.append(element);
  }
  render();
  window.addEventListener('popstate', render);
  document.body.dataset.ready = 'true';
}

start();
