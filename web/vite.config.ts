// Builds the dashboard into dist/web (served by the server at `/`); in dev, proxies the API to a local server.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiServer = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true },
  server: {
    proxy: { '/v1': apiServer, '/api': apiServer, '/healthz': apiServer },
  },
});
