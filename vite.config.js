import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

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
  plugins: [
    // Offline after one visit: Workbox precaches the whole built site at the
    // service worker's install (both pages, every asset, the four WASM
    // modules: first load, closed forms, calculator and lab; the run worker,
    // embed.js), so a reload, any panel and a measured run need no network.
    // No manifest and no injected register script (the CSP forbids inline
    // script): web/src/offline.js registers dist/sw.js.
    VitePWA({
      strategies: 'generateSW',
      filename: 'sw.js',
      injectRegister: false,
      manifest: false,
      workbox: {
        globPatterns: ['**/*.{html,js,css,wasm,svg,png,woff2}'],
        // The largest WASM module is under 1 MB; Workbox's default limit is 2 MiB.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        // Every input lives in the query (?panel=kv&kv.context=…): the files don't depend on it.
        ignoreURLParametersMatching: [/.*/],
        // No navigation fallback: the app's own URLs are precached (state lives
        // in the query), and a course's other pages in the same folder must stay
        // theirs instead of turning into the app.
        navigateFallback: null,
        cleanupOutdatedCaches: true,
        // The first install takes over the open page at once, so its measured
        // runs already work offline. A new deploy's worker waits until the old
        // version's tabs are closed: an open page never loses the files it was built with.
        clientsClaim: true,
        skipWaiting: false,
      },
    }),
  ],
  preview: { host: '127.0.0.1', port: 4173 },
  server: { host: '127.0.0.1' },
});
