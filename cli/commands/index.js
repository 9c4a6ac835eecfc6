// Every CLI subcommand, in the order `llm-spacetime --help` lists them.
// Each area's file exports an array of { name, summary, usage, options, run }.
import { parseArgs } from 'node:util';

import { modelCommands } from './model.js';
import { memoryCommands } from './memory.js';
import { attentionCommands } from './attention.js';
import { quantCommands } from './quant.js';
import { rooflineCommands } from './roofline.js';

export const commands = [
  ...modelCommands,
  ...memoryCommands,
  ...attentionCommands,
  ...quantCommands,
  ...rooflineCommands,
];

/** A command's flags as parseArgs reads them (with --json and --help); throws on an unknown or malformed flag. */
export function parseFlags(command, args) {
  return parseArgs({
    args,
    options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  }).values;
}
