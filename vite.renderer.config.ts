import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The counter UI as the headless shell serves it; electron-vite builds the same root for the window. */
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // A module-preload polyfill would be an inline script, which the CSP forbids.
    modulePreload: { polyfill: false },
  },
});
