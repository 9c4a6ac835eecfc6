// ESLint: the recommended rules and Lit's, over the page, the JS API, the CLI,
// the tests, the benchmarks and the scripts. Formatting is left to review.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'node_modules/**', 'web/generated/**', 'build/**'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  { files: ['web/src/**/*.js'], ...lit.configs['flat/recommended'] },
];
