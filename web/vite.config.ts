import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves web/dist with an SPA fallback; in development Vite proxies the API to it.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd (with React) and echarts each make one large chunk by nature; pages are split with React.lazy.
    // The limit sits above those vendor chunks so a warning means real app-code growth.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
