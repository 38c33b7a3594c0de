// Builds the web console into web/dist, which `lantern serve` serves. `npm run dev:web` proxies the API of a running
// `lantern serve` (default http://127.0.0.1:8180, or LANTERN_API).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.LANTERN_API ?? 'http://127.0.0.1:8180';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'static', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: api, ws: true } } },
});
