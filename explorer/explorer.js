// The sinew explorer: a page over `sinew serve`'s JSON API. It draws a node's
// neighbourhood (never the whole graph), shows a node's card and a link's
// evidence, ranks the dependency chains between two nodes and shades who is
// exposed if a node is cut. Every request carries the filters and the
// clearance, so the page shows what the CLI would at the same settings.
'use strict';

const PAGE = 150;  // links per page of a neighbourhood
const TYPE_COLOURS = {
  state: '#3f6fb5', bloc: '#5b86c9', organisation: '#7a5cc2', company: '#d0862c',
  person: '#b55d8a', group: '#8a6d3b', project: '#2a9d8f', technology: '#e76f51',
  sector: '#6d8a3b', resource: '#9c6644', infrastructure: '#577590', event: '#c9184a',
  policy: '#a4133c', flow: '#4d908e', place: '#90a955',
};

const state = {
  root: null, offset: 0, total: 0, chainFrom: null, chainTo: null, chains: [],
};
const $ = (id) => document.getElementById(id);

// ---- the API ----

function filters() {
  const p = new URLSearchParams();
  if ($('domain').value) p.append('domain', $('domain').value);
  if ($('alltime').checked) p.append('all_time', 'true');
  else if ($('year').value !== $('year').max) p.append('as_of', $('year').value);
  if (Number($('confidence').value) > 0) p.append('min_confidence', $('confidence').value);
  p.append('clearance', $('clearance').value);
  return p;
}

async function api(endpoint, params) {
  const p = params instanceof URLSearchParams ? params : new URLSearchParams(params || {});
  const res = await fetch(`/api/${endpoint}?${p}`);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  return body;
}

function withFilters(params) {
  const p = filters();
  for (const [k, v] of Object.entries(params)) p.append(k, v);
  return p;
}

function say(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : 'muted';
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'onclick') e.addEventListener('click', v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// ---- the drawing ----

const cy = cytoscape({
  container: $('graph'),
  style: [
    { selector: 'node', style: {
      'background-color': (n) => TYPE_COLOURS[n.data('type')] || '#888',
      label: 'data(name)', 'font-size': 11, 'text-valign': 'bottom', 'text-margin-y': 3,
      'text-wrap': 'ellipsis', 'text-max-width': 140, 'min-zoomed-font-size': 7,
      width: 22, height: 22, 'border-width': 0 } },
    { selector: 'node.root', style: { width: 34, height: 34, 'border-width': 3,
      'border-color': '#1d2733' } },
    { selector: 'edge', style: {
      width: (e) => 1 + 6 * (e.data('weight') || 0), 'line-color': '#9aa7b8',
      'target-arrow-color': '#9aa7b8', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier',
      label: '', 'font-size': 9, color: '#4a5868', 'text-rotation': 'autorotate',
      'line-style': (e) => (e.data('modality') === 'projected' ||
                            e.data('modality') === 'hypothetical' ? 'dashed' : 'solid') } },
    { selector: 'edge.hover, edge:selected, edge.chain', style: { label: 'data(label)' } },
    // Evidence says both that it holds and that it does not.
    { selector: 'edge[?contested]', style: { 'line-color': '#e08a00', 'target-arrow-color': '#e08a00',
      'line-style': 'dotted' } },
    { selector: '.chain', style: { 'line-color': '#c62828', 'target-arrow-color': '#c62828',
      'border-width': 3, 'border-color': '#c62828', 'z-index': 10 } },
    { selector: '.faded', style: { opacity: 0.25 } },
    { selector: 'edge:selected', style: { 'line-color': '#1d2733', 'target-arrow-color': '#1d2733' } },
    { selector: ':selected', style: { 'overlay-opacity': 0.15 } },
  ],
  wheelSensitivity: 0.3,
  minZoom: 0.1,
  maxZoom: 1.6,  // a short chain fitted to the view stays readable
});

function addNeighbourhood(n) {
  for (const node of n.nodes) {
    if (!cy.getElementById(node.id).length) {
      cy.add({ group: 'nodes', data: { id: node.id, name: node.name, type: node.type } });
    }
  }
  for (const e of n.edges) {
    if (!cy.getElementById(e.id).length) {
      cy.add({ group: 'edges', data: { ...e, id: e.id, source: e.src, target: e.dst } });
    }
  }
}

// Rings around the root: its direct links inside, the second step outside.
function layout() {
  const root = cy.getElementById(state.root);
  if (!root.length) return;
  const dist = cy.elements().dijkstra({ root, directed: false });
  cy.layout({ name: 'concentric', animate: false, minNodeSpacing: 28, avoidOverlap: true,
              concentric: (n) => 10 - Math.min(dist.distanceTo(n), 9),
              levelWidth: () => 1 }).run();
}

async function open(id) {
  try {
    const n = await api('neighbourhood', withFilters({ id, depth: 2, limit: PAGE }));
    cy.elements().remove();
    state.root = n.root;
    state.offset = n.edges.length;
    state.total = n.total;
    addNeighbourhood(n);
    cy.getElementById(n.root).addClass('root');
    layout();
    showStatus();
    await showNode(n.root);
  } catch (err) {
    say(err.message, true);
  }
}

// Which colour is which type, for the types drawn.
function showLegend() {
  const types = [...new Set(cy.nodes().map((n) => n.data('type')).filter(Boolean))].sort();
  $('legend').replaceChildren(...types.map((t) => el('span', { class: 'legend-item' },
    el('i', { style: `background:${TYPE_COLOURS[t] || '#888'}` }), t)));
}

// Which links an answer counts: the filters' date, as the answers' feet say.
function when() {
  if ($('alltime').checked) return 'links of any date';
  return $('year').value === $('year').max ? 'links valid today' : `links valid in ${$('year').value}`;
}

// What the API says a filter hid, so an empty answer is never silent.
function hintsOf(a) {
  return (a.hints || []).map((h) => (typeof h === 'string' ? h : h.text || JSON.stringify(h)));
}

function showStatus() {
  showLegend();
  const s = $('status');
  s.className = 'muted';
  s.textContent = `${cy.edges().length} of ${state.total} links around ${state.root}` +
                  ` (two steps, strongest first; ${when()}). `;
  if (state.offset < state.total) {
    s.append(el('button', { id: 'more', type: 'button', onclick: more }, `next ${PAGE}`));
  }
}

async function more() {
  const n = await api('neighbourhood',
                      withFilters({ id: state.root, depth: 2, limit: PAGE, offset: state.offset }));
  state.offset += n.edges.length;
  addNeighbourhood(n);
  layout();
  showStatus();
}

// ---- cards ----

async function showNode(id) {
  const card = $('card');
  try {
    const c = await api('show', withFilters({ id, limit: 30 }));
    const n = c.node;
    card.replaceChildren(
      el('h2', { id: 'card-title' }, `${n.name} `, el('span', { class: 'muted' }, `(${n.id}, ${n.type})`)),
      n.aliases.length ? el('p', { class: 'muted' }, 'also: ' + n.aliases.join(', ')) : '',
      el('div', { class: 'card-actions' },
         el('button', { type: 'button', onclick: () => open(n.id) }, 'Centre here'),
         el('button', { id: 'chain-from-here', type: 'button', onclick: () => pickChain('from', n.id) },
            'Chains from here'),
         el('button', { id: 'chain-to-here', type: 'button', onclick: () => pickChain('to', n.id) },
            'Chains to here'),
         el('button', { id: 'impact-here', type: 'button', onclick: () => impact(n.id) },
            'Exposure if cut')),
      el('h3', {}, `links out (${total(c.out.length, c.out_total)})`),
      linkList(c.out, 'dst'),
      el('h3', {}, `links in (${total(c.in.length, c.in_total)})`),
      linkList(c.in, 'src'),
      c.observations.length ? el('h3', {}, `figures (${c.observations.length})`) : '',
      c.observations.length ? figureList(c.observations) : '');
  } catch (err) {
    card.replaceChildren(el('p', { class: 'error' }, err.message));
  }
}

// "30 strongest of 4,812" when the card was cut.
function total(shown, all) {
  return all && all > shown ? `${shown} strongest of ${all.toLocaleString('en')}` : String(shown);
}

// A figure: what, of whom, when, how much; its source, with the quote on hover.
function figureList(figures) {
  const ul = el('ul', { class: 'figures' });
  for (const f of figures) {
    const v = typeof f.value === 'number' ? f.value.toLocaleString('en', { maximumSignificantDigits: 4 })
      : `${f.value.low.toLocaleString('en')}–${f.value.high.toLocaleString('en')}`;
    const ev = f.evidence[0];
    ul.append(el('li', { title: ev ? ev.quote : '' },
                 `${f.metric}${f.object ? ' / ' + f.object : ''} ${f.period}: ${v}${f.unit ? ' ' + f.unit : ''}`,
                 el('span', { class: 'muted' }, ev ? ` (${ev.source}, graded ${ev.reliability || '?'}${ev.credibility})` : ''),
                 f.conflicts_with.length ? el('span', { class: 'error' }, ' conflicts') : ''));
  }
  return ul;
}

function linkList(links, end) {
  const ul = el('ul', { class: 'links' });
  for (const l of links) {
    ul.append(el('li', {}, el('a', { href: '#', onclick: (ev) => { ev.preventDefault(); showEdge(l.id); } },
                              `${l.label} ${l[end]}`),
                 el('span', { class: 'muted' }, ` [${l.domain}] c=${l.confidence}`)));
  }
  return ul;
}

async function showEdge(edgeId) {
  const card = $('card');
  cy.elements().unselect();
  cy.getElementById(edgeId).select();
  try {
    const answer = await api('evidence', withFilters({ a: edgeId }));
    const e = answer.edges[0];
    const items = e.evidence.map((ev) => el('div', { class: 'evidence' },
      el('q', {}, ev.quote),
      el('div', { class: 'meta' },
         `${ev.title} (${ev.source})${ev.locator ? ', ' + ev.locator : ''} — graded ` +
         `${ev.reliability}${ev.credibility}, ${ev.stance}, ${ev.status} `,
         el('span', { class: `marking ${ev.marking.replace(':', '-').replace('+', '-')}` }, ev.marking))));
    const flags = [e.contested ? 'CONTESTED: accepted evidence both ways' : '',
                   e.low_confidence ? 'low confidence' : ''].filter(Boolean).join('; ');
    const contest = e.contested
      ? [el('p', { class: 'contested', id: 'contested' },
            `Best for: “${e.contest.for.quote}” (${e.contest.for.source}, ${e.contest.for.grade}). ` +
            `Best against: “${e.contest.against.quote}” (${e.contest.against.source}, ${e.contest.against.grade}).`)]
      : [];
    card.replaceChildren(
      el('h2', { id: 'card-title' }, `${e.src} ${e.label} ${e.dst}`),
      el('p', { class: 'muted' },
         `${e.id} [${e.domain}] strength ${e.strength}, replaceability ${e.replaceability}, ` +
         `weight ${e.weight}, confidence ${e.confidence}, score ${e.score}, ${e.modality}` +
         (flags ? ` — ${flags}` : '')),
      ...contest,
      el('h3', {}, `evidence (${e.evidence.length})`), ...items);
  } catch (err) {
    card.replaceChildren(el('p', { class: 'error' }, err.message));
  }
}

// ---- chains and impact ----

async function pickChain(end, id) {
  if (end === 'from') state.chainFrom = id; else state.chainTo = id;
  $('chain-pick').hidden = false;
  $('chain-from').textContent = state.chainFrom || '—';
  $('chain-to').textContent = state.chainTo || '—';
  if (!state.chainFrom || !state.chainTo) return;
  const list = $('chains');
  list.replaceChildren(el('li', { class: 'muted' }, 'ranking…'));
  try {
    const a = await api('chains', withFilters({ from: state.chainFrom, to: state.chainTo,
                                                max_depth: 4, limit: 10, via: 'all' }));
    state.chains = a.chains;
    list.replaceChildren();
    if (!a.chains.length) {
      list.append(el('li', { class: 'muted', id: 'no-chain' }, `no chain with these filters (${when()})`));
      for (const h of hintsOf(a)) list.append(el('li', { class: 'muted hint' }, h));
    }
    a.chains.forEach((c, i) => list.append(
      el('li', { onclick: () => highlightChain(i) }, chainText(c), ' ',
         el('span', { class: 'muted' },
            `score ${c.score}${c.low_confidence ? ' (low confidence)' : ''}` +
            (c.held ? `, held ${c.held.from || '…'}–${c.held.to || ''}` : '')))));
    if (a.chains.length) highlightChain(0);
  } catch (err) {
    list.replaceChildren(el('li', { class: 'error' }, err.message));
  }
}

// "russia —depends on [trade]→ china": each hop with its link.
function chainText(c) {
  let text = c.nodes[0];
  c.edges.forEach((e, k) => {
    const forward = e.src === c.nodes[k];
    text += forward ? ` —${e.label} [${e.domain}]→ ${c.nodes[k + 1]}`
                    : ` ←${e.label} [${e.domain}]— ${c.nodes[k + 1]}`;
  });
  return text;
}

function highlightChain(i) {
  const c = state.chains[i];
  [...$('chains').children].forEach((li, k) => li.classList.toggle('active', k === i));
  cy.elements().removeClass('chain faded');
  for (const e of c.edges) {
    for (const end of [e.src, e.dst]) {
      if (!cy.getElementById(end).length) {
        cy.add({ group: 'nodes', data: { id: end, name: end, type: '' } });
      }
    }
    if (!cy.getElementById(e.id).length) {
      cy.add({ group: 'edges', data: { ...e, evidence: e.evidence.length, id: e.id,
                                       source: e.src, target: e.dst } });
    }
  }
  const on = cy.collection();
  for (const e of c.edges) on.merge(cy.getElementById(e.id));
  for (const n of c.nodes) on.merge(cy.getElementById(n));
  cy.elements().not(on).addClass('faded');
  on.addClass('chain');
  cy.fit(on, 140);
}

async function impact(id) {
  try {
    const a = await api('impact', withFilters({ id, limit: 200 }));
    cy.elements().removeClass('chain faded');
    cy.nodes().style('background-color', (n) => TYPE_COLOURS[n.data('type')] || '#888');
    // One row per node and domain: a node is shaded by its highest score.
    const byNode = new Map();
    for (const x of a.exposed) byNode.set(x.id, Math.max(byNode.get(x.id) || 0, x.score));
    const top = byNode.size ? Math.max(...byNode.values()) : 1;
    for (const [nodeId, score] of byNode) {
      const n = cy.getElementById(nodeId);
      if (!n.length) continue;
      const shade = Math.round(255 * (1 - score / top));
      n.style('background-color', `rgb(255, ${shade}, ${shade})`);
    }
    const cutOff = a.exposed.filter((x) => x.cut_off).map((x) => `${x.id} (${x.domain})`);
    $('card').prepend(el('p', { id: 'impact-summary' },
      `If ${id} is cut, ${byNode.size} ${byNode.size === 1 ? 'node is' : 'nodes are'} exposed ` +
      `(${a.total} in all, by domain; ${a.cut_off} cut off${cutOff.length ? ': ' + cutOff.slice(0, 5).join(', ') : ''}); ` +
      `the drawn ones are shaded by exposure (darkest: ${a.exposed.length ? a.exposed[0].id : 'none'}); ` +
      `${when()}.` + (hintsOf(a).length ? ' ' + hintsOf(a).join(' ') : '')));
  } catch (err) {
    say(err.message, true);
  }
}

// ---- search with completion ----

let searchTimer = null;
let matches = [];
let selected = -1;

function renderMatches() {
  const ul = $('matches');
  ul.replaceChildren(...matches.map((m, i) => el('li', {
    role: 'option', 'aria-selected': String(i === selected),
    onclick: () => choose(i) }, m.name, el('span', { class: 'type' }, `${m.id} · ${m.type}`))));
  ul.hidden = matches.length === 0;
}

function choose(i) {
  const m = matches[i];
  if (!m) return;
  $('search').value = m.name;
  matches = [];
  renderMatches();
  open(m.id);
}

$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  const q = $('search').value.trim();
  if (!q) { matches = []; renderMatches(); return; }
  searchTimer = setTimeout(async () => {
    try {
      const a = await api('find', withFilters({ q, limit: 8 }));
      matches = a.matches;
      selected = matches.length ? 0 : -1;
      renderMatches();
    } catch (err) {
      say(err.message, true);
    }
  }, 120);
});

$('search').addEventListener('keydown', (ev) => {
  if (ev.key === 'ArrowDown') { selected = Math.min(selected + 1, matches.length - 1); renderMatches(); }
  else if (ev.key === 'ArrowUp') { selected = Math.max(selected - 1, 0); renderMatches(); }
  else if (ev.key === 'Enter') choose(selected);
  else if (ev.key === 'Escape') { matches = []; renderMatches(); }
});

// ---- filters and exports ----

function refresh() {
  $('year').disabled = $('alltime').checked;
  $('year-value').textContent = $('year').value === $('year').max ? 'today' : $('year').value;
  $('confidence-value').textContent = $('confidence').value;
  if (state.root) open(state.root);
}
for (const id of ['domain', 'year', 'alltime', 'confidence', 'clearance']) $(id).addEventListener('change', refresh);
$('year').addEventListener('input', () => {
  $('year-value').textContent = $('year').value === $('year').max ? 'today' : $('year').value;
});

function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}
$('export-png').addEventListener('click', () =>
  download(`sinew-${state.root || 'graph'}.png`, cy.png({ output: 'blob', full: true, scale: 2, bg: 'white' })));
$('export-svg').addEventListener('click', () =>
  download(`sinew-${state.root || 'graph'}.svg`,
           new Blob([cy.svg({ full: true, bg: 'white' })], { type: 'image/svg+xml' })));

// The end-to-end tests read the drawing through this handle.
window.sinewGraph = cy;

cy.on('mouseover', 'edge', (ev) => ev.target.addClass('hover'));
cy.on('mouseout', 'edge', (ev) => ev.target.removeClass('hover'));
cy.on('tap', 'node', (ev) => showNode(ev.target.id()));
cy.on('tap', 'edge', (ev) => showEdge(ev.target.id()));

(async function start() {
  try {
    const schema = await api('schema');
    for (const d of schema.domains) $('domain').append(el('option', { value: d }, d));
    // The server answers up to its own clearance (serve --clearance): levels
    // above it are not offered, and the page starts at the lower of it and GREEN.
    const help = await api('help');
    const levels = ['clear', 'green', 'amber', 'amber+strict', 'red'];
    const ceiling = levels.indexOf(String(help.clearance || 'TLP:GREEN').replace('TLP:', '').toLowerCase());
    for (const option of $('clearance').options)
      option.disabled = levels.indexOf(option.value) > ceiling;
    if ($('clearance').selectedOptions[0].disabled) $('clearance').value = levels[Math.max(0, ceiling)];
  } catch (err) {
    say(err.message, true);
  }
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash) open(hash);
})();
