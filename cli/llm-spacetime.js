#!/usr/bin/env node
// llm-spacetime CLI: one subcommand per area, all over the same WASM module.
// Exit codes: 0 ok, 2 bad flags or bad input values (message names the field).
import { InputError } from '../lib/api.js';
import { loadLlmSpacetime } from '../lib/node.js';
import { commands, parseFlags } from './commands/index.js';

function usage() {
  const lines = ['usage: llm-spacetime <command> [flags]', '', 'commands:'];
  for (const command of commands) lines.push(`  ${command.name.padEnd(17)} ${command.summary}`);
  lines.push('', 'llm-spacetime <command> --help shows its flags.');
  return lines.join('\n');
}

function commandUsage(command) {
  return `usage: llm-spacetime ${command.name} ${command.usage}`;
}

function fail(message, { json = false, field, estimate } = {}) {
  // A run refused by --max-seconds also carries its work estimate (cli/work-limit.js).
  if (json) console.log(JSON.stringify({ error: { field: field ?? null, message, ...(estimate ? { estimate } : {}) } }, null, 2));
  console.error(`llm-spacetime: ${message}`);
  process.exitCode = 2;
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    if (!name) process.exitCode = 2;
    return;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`llm-spacetime: unknown command "${name}"\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  let values;
  try {
    values = parseFlags(command, rest);
  } catch (error) {
    console.error(`llm-spacetime ${name}: ${error.message}\n\n${commandUsage(command)}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(commandUsage(command));
    return;
  }
  try {
    const api = await loadLlmSpacetime();
    const result = await command.run(api, values);
    console.log(values.json ? JSON.stringify(result.json, null, 2) : result.text);
  } catch (error) {
    if (error instanceof InputError || error.name === 'UsageError') {
      fail(error.message, { json: values.json, field: error.field, estimate: error.estimate });
      if (error.name === 'UsageError') console.error(`\n${commandUsage(command)}`);
    } else {
      throw error;
    }
  }
}

await main(process.argv.slice(2));
