import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `vite build` for production; the runner also builds with NODE_ENV=development into dist-dev/ (base
// /dev/) so React's development warnings reach the browser console.
export default defineConfig({
  plugins: [react()],
  build: { minify: process.env.NODE_ENV !== 'development' },
});
