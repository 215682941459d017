/**
 * The baseline of the read benchmark: a bare Node HTTP server answering every request with the same bytes and
 * headers as one stored read of the API. Run as its own process (like `annuaire serve`), it prints its port.
 * Arguments: a JSON file {headers, body}.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const { headers, body } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as {
  headers: Record<string, string>;
  body: string;
};
const bytes = Buffer.from(body);
const server = createServer((_request, response) => {
  response.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stderr.write(
    `bare server at http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
