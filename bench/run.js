// Runs every area's benchmark (bench/<area>.js) and prints ratio tables.
// Usage: npm run bench [-- area ...]
const areas = process.argv.slice(2);
const known = ['attention', 'parallel', 'quant', 'gemv-alternate', 'calculator', 'roofline', 'serve', 'input-to-paint'];
for (const area of areas.length ? areas : known) {
  let module;
  try {
    module = await import(`./${area}.js`);
  } catch (error) {
    if (error.code === 'ERR_MODULE_NOT_FOUND' && !areas.length) continue;
    throw error;
  }
  await module.run();
}
