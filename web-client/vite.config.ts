import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The API serves the built page from its jar (see api/pom.xml); `npm run dev` proxies the API so
// the page can be worked on against `./herald local` with hot reload.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Everything the page needs is its own file: the API's Content-Security-Policy allows nothing inline.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      "/v1": "http://127.0.0.1:8080",
      "/email": "http://127.0.0.1:8080",
    },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
