import { defineConfig } from 'vite';

// The page lives in web/; `npm run build` writes dist/ with relative URLs so it
// works from any static host under any sub-path (e.g. /course/llm/).
export default defineConfig({
  root: 'web',
  base: './',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        main: 'web/index.html',
      },
    },
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
});
