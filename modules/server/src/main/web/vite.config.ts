import { defineConfig } from "vite";

// The server module's Maven build runs `npm run build`; WEB_OUT_DIR puts the files into target/classes/web so that
// they ship inside the server jar (see modules/server/pom.xml).
export default defineConfig({
  base: "/",
  build: {
    outDir: process.env.WEB_OUT_DIR ?? "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline polyfill script: the store's Content-Security-Policy allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    target: "es2022",
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080", "/auth": "http://127.0.0.1:8080", "/instance": "http://127.0.0.1:8080" },
  },
});
