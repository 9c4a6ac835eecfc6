// The embed gallery: every embeddable element, live, with the code that makes it.
import './embed.js';
import { attributeName } from './components/panel-element.js';
import { panels } from './panels/index.js';
import { registerOfflineCache } from './offline.js';

const gallery = document.getElementById('gallery');
const scriptUrl = new URL('embed.js', document.baseURI).href;

for (const panel of panels.filter((candidate) => candidate.embed)) {
  const section = document.createElement('section');
  section.className = 'gallery-item';
  const heading = document.createElement('h2');
  heading.textContent = `<${panel.embed}>: ${panel.label}`;
  const element = document.createElement(panel.embed);
  for (const [key, value] of Object.entries(panel.example ?? {})) element.setAttribute(attributeName(key), value);
  const code = document.createElement('pre');
  const attributes = Object.entries(panel.example ?? {}).map(([key, value]) => ` ${attributeName(key)}="${value}"`).join('');
  code.textContent = `<script type="module" src="${scriptUrl}"></script>\n<${panel.embed}${attributes}></${panel.embed}>`;
  section.append(heading, code, element);
  gallery.append(section);
}
registerOfflineCache();
document.body.dataset.ready = 'true';
