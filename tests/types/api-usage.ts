// Compiled (not run) by `npm run typecheck`: the .d.ts must describe real usage.
import { loadLlmSpacetime, InputError } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const bits: number = api.plainDtypes()[0].bits;
  try {
    void bits;
  } catch (error) {
    if (error instanceof InputError) console.log(error.field);
  }
}
void usage;
