// Every CLI subcommand, in the order `llm-spacetime --help` lists them.
// Each area's file exports an array of { name, summary, usage, options, run }.
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
