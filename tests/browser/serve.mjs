// serve.mjs ROOT PORTFILE - a tiny static server for the browser tests.
//
// Serves ROOT on 127.0.0.1 on a free port (the kernel picks it) and writes
// "http://127.0.0.1:PORT" to PORTFILE once it is listening, so run.sh can
// wait for it. Root-relative URLs work as on the real host: "/" and "/x/"
// serve index.html, a missing file gets ROOT/404.html with status 404.
// GET and HEAD only; nothing outside ROOT is ever served. It runs until it
// is sent SIGTERM or SIGINT.
import { createServer } from 'node:http';
import { createReadStream, realpathSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const [rootArg, portFile] = process.argv.slice(2);
if (!rootArg || !portFile) {
  console.error('usage: node serve.mjs ROOT PORTFILE');
  process.exit(2);
}
const root = realpathSync(resolve(rootArg));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

// The file a URL path names, or null: decoded, kept inside root (also
// through symlinks), a directory meaning its index.html.
function lookup(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  let file = resolve(root, '.' + path);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    let st = statSync(file);
    if (st.isDirectory()) {
      file = join(file, 'index.html');
      st = statSync(file);
    }
    if (!st.isFile()) return null;
    const real = realpathSync(file);
    if (!real.startsWith(root + sep)) return null;
    return { file: real, size: st.size };
  } catch {
    return null;
  }
}

function send(req, res, status, found, headers = {}) {
  const type = TYPES[extname(found.file).toLowerCase()] || 'application/octet-stream';
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': found.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(found.file)
    .on('error', () => res.destroy())
    .pipe(res);
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('method not allowed\n');
    return;
  }
  const url = new URL(req.url, 'http://127.0.0.1');
  // "/en/page" (no slash) redirects to "/en/page/" as static hosts do, so
  // relative URLs in the page resolve the way they will in production.
  let found = lookup(url.pathname);
  if (found && !url.pathname.endsWith('/') && found.file.endsWith(sep + 'index.html')
      && !url.pathname.endsWith('/index.html')) {
    res.writeHead(301, { Location: url.pathname + '/' + url.search });
    res.end();
    return;
  }
  if (found) {
    send(req, res, 200, found);
    return;
  }
  const notFound = lookup('/404.html');
  if (notFound) {
    send(req, res, 404, notFound);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
});

server.on('error', (err) => {
  console.error(`serve.mjs: ${err.message}`);
  process.exit(1);
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  // Written whole and renamed, so run.sh never reads half a line.
  writeFileSync(portFile + '.tmp', `http://127.0.0.1:${port}\n`);
  renameSync(portFile + '.tmp', portFile);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
