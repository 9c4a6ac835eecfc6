// The models every panel offers: the presets and, when the page holds one, an
// imported config.json. The imported file lives in the URL (parameter `hf`,
// shared by every panel, as minified JSON in base64url), so a link reproduces
// it: each reader imports it again through the core, never trusting it.
import { readParam, writeParams } from './url-state.js';

export const importedId = 'imported';
/** Fired on window when the imported model changes; panels re-read their state. */
export const modelsChangedEvent = 'llmst-models-changed';

// The largest config.json text kept in a link (real ones are 1–3 KB minified).
const maxConfigChars = 16384;

const toBase64Url = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
  .replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const fromBase64Url = (text) => new TextDecoder().decode(
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0)));

// The URL key of each panel's model input: an import selects it in all of them.
export const modelInputKeys = ['model.preset', 'kv.preset', 'plan.model', 'roofline.model', 'quant.preset', 'search.model', 'serve.model'];

let cache = { param: undefined, imported: null };
let presetCache = null;

/**
 * The imported model from the URL: {id, label, config, weights_format, weights_keep, assumed, model_type},
 * {error} when the parameter cannot be read or imported, or null when there is none.
 */
export function importedModel(api) {
  const param = readParam('hf');
  if (param === cache.param) return cache.imported;
  let imported = null;
  if (param !== null) {
    try {
      if (param.length > maxConfigChars * 2) throw new Error(`the hf parameter is longer than ${maxConfigChars * 2} characters`);
      const result = api.importHfConfig(fromBase64Url(param));
      const name = result.config.name && result.config.name !== result.model_type ? result.config.name : result.model_type || 'config.json';
      imported = { id: importedId, label: `Imported: ${name}`, source: 'config.json (imported)', ...result };
    } catch (error) {
      imported = { error: `The imported config.json in this link cannot be read: ${error.message}` };
    }
  }
  cache = { param, imported };
  return imported;
}

/** Presets, with the imported model first when the page holds one (not for embedded elements). */
export function modelChoices(api, { withImported = true } = {}) {
  presetCache ??= api.modelPresets();
  const imported = withImported ? importedModel(api) : null;
  return imported && !imported.error ? [imported, ...presetCache] : presetCache;
}

/** The model config of a choice id (a preset or 'imported'), or undefined. */
export function modelConfigOf(api, id, options) {
  return modelChoices(api, options).find((choice) => choice.id === id)?.config;
}

/**
 * Imports `text` (InputError when the core refuses it), stores it in the URL
 * and makes it the model of every panel (`panelKeys`: URL keys of each panel's
 * model input, e.g. ['kv.preset', 'plan.model']).
 */
export function setImportedModel(api, text, panelKeys = modelInputKeys) {
  const result = api.importHfConfig(text);  // the core's InputError names the key at fault
  let minified;
  try {
    minified = JSON.stringify(JSON.parse(text));
  } catch (error) {
    throw Object.assign(new Error(`config.json: ${error.message}`), { name: 'InputError', field: 'config_json' });
  }
  if (minified.length > maxConfigChars) {
    throw Object.assign(new Error(`config.json is longer than ${maxConfigChars} characters once minified; it cannot travel in a link`),
      { name: 'InputError', field: 'config_json' });
  }
  writeParams({ hf: toBase64Url(minified), ...Object.fromEntries(panelKeys.map((key) => [key, importedId])) });
  window.dispatchEvent(new Event(modelsChangedEvent));
  return result;
}
