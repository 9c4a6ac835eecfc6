#!/usr/bin/env node
// Prints the hardware table of docs/roofline.md from the presets themselves:
// dense peaks per dtype, memory, links (per direction), TDP and the on-demand
// price. tests/js/docs-tables.test.js checks that the docs carry exactly this
// table. Usage: node scripts/hardware-table.js   (after npm run build:wasm)
import { loadLlmSpacetime } from '../lib/node.js';

export function hardwareTable(api) {
  const number = (value) => (value ? String(Math.round(value * 100) / 100) : '–');
  const capacity = (row) => `${Math.round(row.memory_gib * 10) / 10} GiB (${row.memory_gb.toFixed(1)} GB)`;
  const lines = [
    '| id | kind | fp32/TF32 | fp16/bf16 | fp8 | fp4 | int8 | memory GB/s | capacity | link GB/s per direction ' +
      '| host link | TDP W | $/h on demand |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of api.hardwarePresets()) {
    lines.push(`| ${row.id} | ${row.kind} | ${number(row.fp32_tflops)} | ${number(row.fp16_tflops)} ` +
      `| ${number(row.fp8_tflops)} | ${number(row.fp4_tflops)} | ${number(row.int8_tops)} ` +
      `| ${number(row.memory_gb_per_s)} | ${capacity(row)} | ${number(row.interconnect_gb_per_s)} ` +
      `| ${number(row.host_link_gb_per_s)} | ${number(row.tdp_watts)} ` +
      `| ${row.usd_per_hour ? row.usd_per_hour.toFixed(2) : '–'} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(hardwareTable(await loadLlmSpacetime()));
}
