// End-to-end test of the explorer in headless Chromium (Debian's, driven by
// playwright-core): search, draw, open a card and a link's evidence, rank
// chains, shade an impact, export PNG and SVG. Run by CTest:
//   node explorer/test/explorer.test.mjs SINEW_BINARY SOURCE_DIR WORK_DIR
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [sinew, source, work] = process.argv.slice(2);
if (!sinew || !source || !work) {
  console.error('usage: explorer.test.mjs SINEW_BINARY SOURCE_DIR WORK_DIR');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const db = path.join(work, 'db');
execFileSync(sinew, ['--db', db, 'init']);
execFileSync(sinew, ['--db', db, 'ingest', path.join(source, 'corpus', 'notes')]);

const server = spawn(sinew, ['--db', db, 'serve', '--port', '0',
                             '--static', path.join(source, 'explorer')]);
const port = await new Promise((resolve, reject) => {
  let seen = '';
  server.stdout.on('data', (d) => {
    seen += d;
    const m = seen.match(/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(Number(m[1]));
  });
  server.on('exit', (code) => reject(new Error(`sinew serve exited with ${code}`)));
  setTimeout(() => reject(new Error('sinew serve did not start')), 20000);
});

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${port}/`);

  // Search with completion, then draw the neighbourhood.
  await page.fill('#search', 'russ');
  await page.waitForSelector('#matches li');
  const offered = await page.textContent('#matches');
  check(offered.includes('Russia'), 'completion offers Russia for "russ"');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /links around russia/.test(document.querySelector('#status').textContent));
  const drawn = await page.evaluate(() => ({ nodes: window.sinewGraph.nodes().length,
                                             edges: window.sinewGraph.edges().length }));
  check(drawn.nodes > 5 && drawn.edges > 5, `neighbourhood drawn (${drawn.nodes} nodes, ${drawn.edges} links)`);
  await page.waitForSelector('#card-title');
  check((await page.textContent('#card-title')).includes('Russia'), "Russia's card opens");
  // Russia's card lists its figures (the brief's trade shares), with their source.
  const figures = await page.textContent('#card');
  check(/figures \(\d+\)/.test(figures) && /partner_share_of_foreign_trade/.test(figures) &&
        /gcmc-gpcss3-2021, graded [A-F][1-6]/.test(figures), "Russia's card lists its figures with their source");

  // A link's evidence: quotes, sources, grades, markings.
  await page.click('#card .links a');
  await page.waitForSelector('#card .evidence q');
  const evidence = await page.textContent('#card');
  check(/graded [A-F][1-6]/.test(evidence), 'evidence shows its grade');
  check(/TLP:[A-Z]+/.test(evidence), 'evidence shows its marking');
  check((await page.$$('#card .evidence q')).length >= 1, 'evidence shows its quote');
  fs.mkdirSync(path.join(work, 'shots'), { recursive: true });
  await page.screenshot({ path: path.join(work, 'shots', 'evidence.png') });

  // Chains from Russia to China, highlighted in the drawing.
  await page.fill('#search', 'russia');
  await page.waitForSelector('#matches li');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#card-title')?.textContent.includes('Russia'));
  await page.click('#chain-from-here');
  await page.fill('#search', 'china');
  await page.waitForSelector('#matches li');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#card-title')?.textContent.includes('China'));
  await page.click('#chain-to-here');
  await page.waitForSelector('#chains li.active');
  const firstChain = await page.textContent('#chains li.active');
  check(/^russia —.*→ china/.test(firstChain.trim()), `the strongest chain is listed (${firstChain.trim()})`);
  check(/score [0-9.]+.*held /.test(firstChain), `the chain shows its score and when its links held together (${firstChain.trim()})`);
  check(/links valid today/.test(await page.textContent('#status')), 'the drawing says it shows links valid today');
  const highlighted = await page.evaluate(() => window.sinewGraph.$('.chain').length);
  check(highlighted >= 3, `the chain is highlighted (${highlighted} elements)`);
  // The picture itself: the highlight colour is on the canvas.
  const red = await page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('#graph canvas')) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 180 && d[i + 1] < 80 && d[i + 2] < 80 && d[i + 3] > 200) n += 1;
    }
    return n;
  });
  check(red > 50, `the highlighted chain is drawn in red (${red} pixels)`);
  fs.mkdirSync(path.join(work, 'shots'), { recursive: true });
  await page.screenshot({ path: path.join(work, 'shots', 'chain.png') });

  // Exposure if China is cut.
  await page.click('#impact-here');
  await page.waitForSelector('#impact-summary');
  check(/(is|are) exposed/.test(await page.textContent('#impact-summary')), 'impact summarised');
  check(/links valid today/.test(await page.textContent('#impact-summary')), 'impact says which links it counted');
  // Every link that ever held: the drawing says so.
  await page.check('#alltime');
  await page.waitForFunction(() => /links of any date/.test(document.querySelector('#status').textContent));
  check(await page.isDisabled('#year'), 'all time disables the year');
  await page.uncheck('#alltime');
  await page.waitForFunction(() => /links valid today/.test(document.querySelector('#status').textContent));
  await page.screenshot({ path: path.join(work, 'shots', 'impact.png') });

  // Exports.
  for (const [button, signature] of [['#export-png', '\x89PNG'], ['#export-svg', '<']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const file = path.join(work, 'shots', download.suggestedFilename());
    await download.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 4).toString('latin1');
    check(head.startsWith(signature) && fs.statSync(file).size > 1000,
          `${button.slice(8).toUpperCase()} export (${fs.statSync(file).size} bytes)`);
  }

  // A bad search says so instead of breaking the page.
  const fresh = await browser.newPage();
  fresh.on('pageerror', (e) => errors.push(e.message));
  await fresh.goto(`http://127.0.0.1:${port}/#no-such-node`);
  const reported = await fresh.waitForFunction(
    () => /no node/.test(document.querySelector('#status').textContent), null, { timeout: 10000 })
    .then(() => true, () => false);
  check(reported, 'an unknown node is reported');
  check(errors.length === 0, `no script errors${errors.length ? ': ' + errors.join('; ') : ''}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
console.log(failures ? `${failures} checks failed` : 'all explorer checks passed');
process.exit(failures ? 1 : 0);
