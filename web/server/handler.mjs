// The built web app as one express handler, mounted by the platform behind the same port as the GraphQL API
// (platform/src/http/web-app.ts). Paths are resolved from this file, never from the working directory.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLIENT_DIR = path.join(WEB_DIR, "build", "client");
const SERVER_ENTRY = path.join(WEB_DIR, "build", "server", "index.js");

/**
 * The address this server accepted the request on. Loaders send their GraphQL queries there (the API shares the
 * process), so they never follow the client-controlled Host header anywhere else.
 * @param {import("express").Request} req
 */
function apiOrigin(req) {
  const address = req.socket.localAddress ?? "127.0.0.1";
  const host = address.startsWith("::ffff:") ? address.slice(7) : address.includes(":") ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort}`;
}

/** @returns {Promise<import("express").RequestHandler>} */
export async function createWebHandler() {
  const build = await import(pathToFileURL(SERVER_ENTRY).href);
  const app = express.Router();
  // Vite fingerprints everything under assets/, so browsers may keep it for a year.
  app.use("/assets", express.static(path.join(CLIENT_DIR, "assets"), { immutable: true, maxAge: "1y", fallthrough: false }));
  app.use(express.static(CLIENT_DIR, { maxAge: "1h", index: false }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (req) => ({ apiOrigin: apiOrigin(req) }),
    }),
  );
  return app;
}
