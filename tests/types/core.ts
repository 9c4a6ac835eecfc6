// Compiled (not run) by `npm run typecheck`: the .d.ts must describe real usage.
// One file per area: tests/types/<area>.ts.
import { loadLlmSpacetime, InputError } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  try {
    const bits: number = api.plainDtypes()[0].bits;
    void bits;
  } catch (error) {
    if (error instanceof InputError) console.log(error.field);
  }
}
void usage;
