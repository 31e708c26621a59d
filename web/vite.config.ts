import { defineConfig } from 'vite';

// The portal is served by `jobindsigt serve --static web/dist`; `npm run dev` proxies the API
// to a server on JOBINDSIGT_API (default http://127.0.0.1:8080).
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
  server: {
    proxy: { '/api': process.env.JOBINDSIGT_API ?? 'http://127.0.0.1:8080' },
  },
});
