import { defineConfig } from 'vite';

// The page lives in web/; `npm run build` writes dist/ with relative URLs so it
// works from any static host under any sub-path (e.g. /course/llm/).
// Entries: the app (index.html), the embed gallery (embed.html), and the
// embeddable elements at a stable address (embed.js) for other sites' pages.
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
        gallery: 'web/embed.html',
        embed: 'web/src/embed.js',
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'embed' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
});
