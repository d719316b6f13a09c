/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `make dev` runs the API on OKRKPI_API (default http://127.0.0.1:5080) and this dev server in front of it: one origin
// for the browser, so the SameSite=Strict session cookie and the XSRF-TOKEN echo work as they do when the API serves
// the built client itself.
const api = process.env.OKRKPI_API ?? 'http://127.0.0.1:5080';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': api, '/health': api, '/swagger': api },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    // Pure logic runs in Node; component tests ask for jsdom with a `@vitest-environment jsdom` comment.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
