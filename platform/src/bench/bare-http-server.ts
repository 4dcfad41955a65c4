import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `bench ingest`'s yardstick: a Node http server that reads the body and answers 200, in its own process. */
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}'));
});
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
