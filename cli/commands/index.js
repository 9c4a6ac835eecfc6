// Every CLI subcommand, in the order `llm-spacetime --help` lists them.
// Each area's file exports an array of { name, summary, usage, options, run }.
import { parseArgs } from 'node:util';

import { refuseRepeats } from '../flags.js';

import { modelCommands } from './model.js';
import { memoryCommands } from './memory.js';
import { attentionCommands } from './attention.js';
import { quantCommands } from './quant.js';
import { rooflineCommands } from './roofline.js';
import { serveCommands } from './serve.js';
import { searchCommands } from './search.js';

export const commands = [
  ...modelCommands,
  ...memoryCommands,
  ...attentionCommands,
  ...quantCommands,
  ...rooflineCommands,
  ...serveCommands,
  ...searchCommands,
];

/**
 * A command's flags as parseArgs reads them (with --json and --help); throws on an unknown, malformed or
 * repeated flag (no flag takes several values: lists are comma-separated).
 */
export function parseFlags(command, args) {
  const { values, tokens } = parseArgs({
    args,
    options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
  refuseRepeats(tokens, command.options);
  return values;
}
