// StepLocal console: one page, routed by the URL's hash. Everything it shows comes from the
// AWS JSON protocol on POST / (the actions any SDK calls) plus /console/graph.svg, /console/states,
// /console/stream (live events) and /console/scenarios. User data is only ever put in the page as
// text (textContent), never as markup; the graph SVG is escaped by the server.
'use strict';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const STATE_STATUSES = ['succeeded', 'failed', 'caught', 'running', 'cancelled', 'notReached'];
let currentView = null; // { close() } of the page shown, so a live feed stops when leaving it

// MARK: Small helpers

/** Builds an element; string children become text nodes, never markup. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'className') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function region() { return localStorage.getItem('steplocal.region') || ''; }

/** Calls a Step Functions action on this server, as an SDK would. */
async function aws(action, body) {
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.' + action };
  if (region()) headers.Authorization = 'AWS4-HMAC-SHA256 Credential=console/20240101/' + region() + '/states/aws4_request, SignedHeaders=host, Signature=0';
  const response = await fetch('/', { method: 'POST', headers, body: JSON.stringify(body || {}) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error((data.__type || response.status) + ': ' + (data.message || text));
  return data;
}

/** Every page of a paged action, concatenated. */
async function awsAll(action, body, key, limit = 2000) {
  let items = [];
  let token;
  do {
    const page = await aws(action, Object.assign({}, body, token ? { nextToken: token } : {}));
    items = items.concat(page[key] || []);
    token = page.nextToken;
  } while (token && items.length < limit);
  return items;
}

async function getJSON(url) {
  const response = await fetch(url);
  const data = await response.json();
  if (!response.ok) throw new Error((data.__type || response.status) + ': ' + (data.message || ''));
  return data;
}

const enc = encodeURIComponent;
function date(seconds) { return seconds === undefined || seconds === null ? '' : new Date(seconds * 1000).toISOString().replace('T', ' ').replace('Z', ''); }
function pretty(value) {
  if (typeof value === 'string') { try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; } }
  return JSON.stringify(value, null, 2);
}
function badge(status) { return h('span', { className: 'badge ' + status, 'data-status': status }, status); }
function machineLink(arn, name) { return h('a', { href: '#/machine/' + enc(arn) }, name || arn.split(':').pop()); }
function executionLink(arn, name) { return h('a', { href: '#/execution/' + enc(arn) }, name || arn.split(':').pop()); }
function table(headings, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headings.map(t => h('th', {}, t)))), h('tbody', {}, rows));
}
function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.flat(Infinity).filter(n => n !== undefined && n !== null && n !== false));
}
function failure(error) { return h('p', { className: 'error', role: 'alert' }, String(error.message || error)); }

/** Loads a graph from the server and puts it in `container`, parsed as SVG (never as HTML). */
async function loadGraph(container, url) {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) { container.replaceChildren(failure(new Error(text))); return null; }
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true);
  container.replaceChildren(svg);
  return svg;
}

function nodesOf(svg) { return svg ? Array.from(svg.querySelectorAll('g.sl-node')) : []; }

/** Colours each state node by its status (a state absent from `states` was not reached). */
function applyStatuses(svg, states) {
  for (const node of nodesOf(svg)) {
    const status = states[node.getAttribute('data-state')] || 'notReached';
    for (const s of STATE_STATUSES) node.classList.remove('sl-status-' + s);
    node.classList.add('sl-status-' + status);
    node.setAttribute('data-status', status);
  }
}

function legend() {
  const colours = { succeeded: 'var(--ok)', failed: 'var(--bad)', caught: 'var(--caught)', running: 'var(--run)', cancelled: 'var(--cancel)', notReached: '#e9ebed' };
  return h('div', { className: 'legend' }, Object.entries(colours).map(([k, c]) => h('span', {}, h('i', { style: 'background:' + c }), k)));
}

// MARK: Pages

async function machinesPage() {
  const machines = await awsAll('ListStateMachines', {}, 'stateMachines');
  const rows = await Promise.all(machines.map(async m => {
    const [versions, aliases] = await Promise.all([
      awsAll('ListStateMachineVersions', { stateMachineArn: m.stateMachineArn }, 'stateMachineVersions').catch(() => []),
      awsAll('ListStateMachineAliases', { stateMachineArn: m.stateMachineArn }, 'stateMachineAliases').catch(() => []),
    ]);
    return h('tr', {}, h('td', {}, machineLink(m.stateMachineArn, m.name)), h('td', {}, m.type), h('td', {}, date(m.creationDate)),
      h('td', {}, String(versions.length)), h('td', {}, String(aliases.length)));
  }));
  show(h('h1', {}, 'State machines'),
    machines.length ? table(['Name', 'Type', 'Created', 'Versions', 'Aliases'], rows)
      : h('p', { className: 'muted' }, 'No state machines in this region yet. Create one with CreateStateMachine (aws stepfunctions create-state-machine --endpoint-url ' + location.origin + ' ...).'));
}

async function machinePage(arn) {
  const machine = await aws('DescribeStateMachine', { stateMachineArn: arn });
  const graph = h('div', { className: 'graph', id: 'graph' });
  const diagnostics = h('div', { id: 'diagnostics' });
  const executions = h('div', { id: 'executions' });
  const filter = h('select', { id: 'status-filter', onchange: () => listExecutions() }, h('option', { value: '' }, 'All statuses'), STATUSES.map(s => h('option', { value: s }, s)));
  const form = startForm(machine);
  let definition;
  try { definition = JSON.stringify(JSON.parse(machine.definition), null, 2); } catch (e) { definition = machine.definition; }
  const versions = h('div', {}), aliases = h('div', {});
  show(
    h('p', {}, h('a', { href: '#/' }, '← State machines')),
    h('h1', {}, machine.name), h('div', { className: 'arn' }, machine.stateMachineArn),
    h('p', {}, machine.type, ' · created ', date(machine.creationDate), machine.description ? ' · ' + machine.description : ''),
    h('div', { className: 'toolbar' }, h('button', { className: 'primary', id: 'new-execution', onclick: () => { form.hidden = !form.hidden; } }, 'New execution')),
    form,
    h('div', { className: 'columns' },
      h('div', {}, h('h2', {}, 'Graph'), graph),
      h('div', {}, h('h2', {}, 'Definition'), diagnostics, h('pre', { className: 'box', id: 'definition' }, definition))),
    h('h2', {}, 'Executions'), h('div', { className: 'toolbar' }, filter), executions,
    h('h2', {}, 'Versions'), versions, h('h2', {}, 'Aliases'), aliases);
  form.hidden = location.hash.endsWith('/new') ? false : true;

  const svg = await loadGraph(graph, '/console/graph.svg?stateMachineArn=' + enc(arn));
  aws('ValidateStateMachineDefinition', { definition: machine.definition, type: machine.type }).then(result => {
    const found = result.diagnostics || [];
    if (!found.length) { diagnostics.replaceChildren(h('p', { className: 'muted' }, 'ValidateStateMachineDefinition: ' + result.result)); return; }
    diagnostics.replaceChildren(...found.map(d => {
      const match = /^\/States\/([^/]+)/.exec(d.location || '');
      const state = match ? match[1].replace(/~1/g, '/').replace(/~0/g, '~') : null;
      for (const node of nodesOf(svg)) {
        if (state !== null && node.getAttribute('data-state') === state) {
          node.classList.add('sl-has-diagnostic');
          node.append(document.createElementNS('http://www.w3.org/2000/svg', 'title'));
          node.lastChild.textContent = d.code + ': ' + d.message;
        }
      }
      return h('div', { className: 'diagnostic' }, h('code', {}, d.severity + ' ' + d.code), ' ', state ? h('b', {}, state + ': ') : '', d.message, d.location ? h('span', { className: 'muted' }, ' at ' + d.location) : '');
    }));
  }).catch(e => diagnostics.replaceChildren(failure(e)));

  async function listExecutions() {
    try {
      const body = { stateMachineArn: arn, maxResults: 100 };
      if (filter.value) body.statusFilter = filter.value;
      const found = (await aws('ListExecutions', body)).executions || [];
      executions.replaceChildren(found.length ? table(['Name', 'Status', 'Started', 'Stopped'], found.map(e =>
        h('tr', {}, h('td', {}, executionLink(e.executionArn, e.name)), h('td', {}, badge(e.status)), h('td', {}, date(e.startDate)), h('td', {}, date(e.stopDate)))))
        : h('p', { className: 'muted' }, 'No executions.'));
    } catch (e) { executions.replaceChildren(failure(e)); }
  }
  listExecutions();
  awsAll('ListStateMachineVersions', { stateMachineArn: arn }, 'stateMachineVersions').then(list => versions.replaceChildren(list.length
    ? table(['Version', 'Created'], list.map(v => h('tr', {}, h('td', {}, h('a', { href: '#/machine/' + enc(v.stateMachineVersionArn) }, v.stateMachineVersionArn.split(':').pop())), h('td', {}, date(v.creationDate)))))
    : h('p', { className: 'muted' }, 'No versions published.'))).catch(e => versions.replaceChildren(failure(e)));
  awsAll('ListStateMachineAliases', { stateMachineArn: arn }, 'stateMachineAliases').then(list => aliases.replaceChildren(list.length
    ? table(['Alias', 'Created'], list.map(a => h('tr', {}, h('td', {}, a.stateMachineAliasArn.split(':').pop()), h('td', {}, date(a.creationDate)))))
    : h('p', { className: 'muted' }, 'No aliases.'))).catch(e => aliases.replaceChildren(failure(e)));
}

/** The New execution form: a name and a JSON input, checked as it is typed. */
function startForm(machine) {
  const input = h('textarea', { id: 'execution-input', spellcheck: 'false' }, '{}');
  const name = h('input', { className: 'text', id: 'execution-name', placeholder: 'name (optional)', size: 40 });
  const message = h('div', { className: 'error', id: 'input-error' });
  const start = h('button', { className: 'primary', id: 'start-execution' }, 'Start execution');
  function check() {
    try { JSON.parse(input.value); message.textContent = ''; start.disabled = false; } catch (e) { message.textContent = 'Input is not valid JSON: ' + e.message; start.disabled = true; }
  }
  input.addEventListener('input', check);
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const body = { stateMachineArn: machine.stateMachineArn, input: input.value };
      if (name.value.trim()) body.name = name.value.trim();
      const started = await aws('StartExecution', body);
      location.hash = '#/execution/' + enc(started.executionArn);
    } catch (e) { message.textContent = e.message; start.disabled = false; }
  });
  return h('div', { className: 'panel', id: 'start-form' }, h('h2', {}, 'New execution'), h('p', {}, name), input, message, start);
}

async function executionPage(arn) {
  const execution = await aws('DescribeExecution', { executionArn: arn });
  const graph = h('div', { className: 'graph', id: 'graph' });
  const statusCell = h('span', { id: 'execution-status' }, badge(execution.status));
  const details = h('div', { className: 'panel', id: 'state-details' }, h('p', { className: 'muted' }, 'Select a state in the graph to see its input, output and error.'));
  const rows = h('tbody', { id: 'events' });
  const summary = h('dl', { className: 'kv', id: 'execution-summary' });
  const stop = h('button', { id: 'stop-execution' }, 'Stop');
  const redrive = h('button', { id: 'redrive-execution' }, 'Redrive');
  const exportButton = h('button', { id: 'export-history' }, 'Export history');
  const actionError = h('div', { className: 'error', id: 'action-error' });
  const mapRuns = h('div', { id: 'map-runs' });
  const waiting = h('div', { id: 'waiting' });
  show(
    h('p', {}, machineLink(execution.stateMachineArn, execution.stateMachineArn.split(':').pop())),
    h('h1', {}, execution.name), h('div', { className: 'arn' }, execution.executionArn),
    h('p', {}, statusCell),
    h('div', { className: 'toolbar' }, stop, redrive, h('button', { id: 'new-execution', onclick: () => { location.hash = '#/machine/' + enc(execution.stateMachineArn) + '/new'; } }, 'New execution'), exportButton),
    actionError,
    waiting,
    h('div', { className: 'columns' },
      h('div', {}, h('h2', {}, 'Graph'), legend(), graph),
      h('div', {}, h('h2', {}, 'State'), details, h('h2', {}, 'Execution'), summary, mapRuns)),
    h('h2', {}, 'Events'),
    h('table', { id: 'event-table' }, h('thead', {}, h('tr', {}, ['ID', 'Type', 'Step', 'Resource', 'Started after', 'Timestamp'].map(t => h('th', {}, t)))), rows));

  const events = [];
  const byId = new Map();
  let states = {};
  let selected = null;
  let source = null;
  let left = false; // the page was left: no feed opens again
  let status = execution.status;

  function renderSummary(e) {
    summary.replaceChildren(
      h('dt', {}, 'Status'), h('dd', {}, e.status), h('dt', {}, 'Started'), h('dd', {}, date(e.startDate)),
      h('dt', {}, 'Stopped'), h('dd', {}, date(e.stopDate)),
      e.redriveCount ? [h('dt', {}, 'Redrives'), h('dd', {}, String(e.redriveCount))] : [],
      h('dt', {}, 'Input'), h('dd', {}, h('pre', {}, pretty(e.input))),
      e.output !== undefined ? [h('dt', {}, 'Output'), h('dd', {}, h('pre', { id: 'execution-output' }, pretty(e.output)))] : [],
      e.error !== undefined ? [h('dt', {}, 'Error'), h('dd', { className: 'error' }, e.error)] : [],
      e.cause !== undefined ? [h('dt', {}, 'Cause'), h('dd', {}, h('pre', {}, pretty(e.cause)))] : []);
  }
  function setStatus(s) {
    status = s;
    statusCell.replaceChildren(badge(s));
    stop.disabled = s !== 'RUNNING';
    redrive.disabled = !['FAILED', 'TIMED_OUT', 'ABORTED'].includes(s);
  }
  renderSummary(execution);
  setStatus(execution.status);

  // What the running threads wait for (the engine's pending waits), as the feed last said.
  const taskWaits = {
    call: 'the call\u2019s answer',
    callback: 'SendTaskSuccess or SendTaskFailure with its task token',
    job: 'the job or child execution (.sync) to end',
    activity: 'an activity worker to take the task and answer it',
  };
  function renderWaits(waits) {
    if (!waits || waits.length === 0) { waiting.replaceChildren(); return; }
    const rows = waits.map(w => {
      if (w.kind === 'executionTimeout') {
        return h('tr', { className: 'wait-row', 'data-state': '', 'data-kind': w.kind, 'data-pattern': '' },
          h('td', {}, '(the execution)'), h('td', {}, 'its TimeoutSeconds: it times out then unless it has ended'),
          h('td', {}, date(w.since)), h('td', {}, date(w.until)));
      }
      const what = w.kind === 'wait' ? 'its Wait to end'
        : w.kind === 'retry' ? 'its Retry back-off before attempt ' + w.attempt
        : w.kind === 'mapRun' ? h('span', {}, 'the child executions of ', h('a', { href: '#/maprun/' + enc(w.mapRunArn) }, 'its Map Run'))
        : taskWaits[w.pattern] || w.pattern;
      const where = w.iterations ? ' (iteration ' + w.iterations.join(' \u203a ') + ')' : '';
      const heartbeat = w.heartbeatSeconds ? ', a heartbeat every ' + w.heartbeatSeconds + ' s' : '';
      // A missed heartbeat ends the Task too (States.HeartbeatTimeout): whichever comes first.
      const ends = w.heartbeatDue !== undefined && (w.until === undefined || w.heartbeatDue < w.until)
        ? h('span', { className: 'heartbeat-due' }, date(w.heartbeatDue), ' unless a heartbeat comes first')
        : w.until === undefined ? 'no deadline' : date(w.until);
      return h('tr', { className: 'wait-row', 'data-state': w.state, 'data-kind': w.kind, 'data-pattern': w.pattern || '' },
        h('td', {}, w.state + where), h('td', {}, what, heartbeat), h('td', {}, date(w.since)), h('td', {}, ends));
    });
    waiting.replaceChildren(h('h2', {}, 'Waiting for'),
      h('table', { id: 'wait-table' }, h('thead', {}, h('tr', {}, ['State', 'Waiting for', 'Since', 'Ends by itself at'].map(t => h('th', {}, t)))), h('tbody', {}, rows)));
  }

  function stepOf(event) {
    for (const [key, value] of Object.entries(event)) {
      if (key.endsWith('EventDetails') && value && typeof value.name === 'string') return value.name;
    }
    const previous = byId.get(event.previousEventId);
    return previous ? previous.step : '';
  }
  // Drops the events after the first `count` (a resumed run rewrote them after a restart).
  function keepEvents(count) {
    while (events.length > count) {
      const event = events.pop();
      byId.delete(event.id);
      const row = rows.querySelector('tr.event-row[data-event-id="' + event.id + '"]');
      if (row) { row.nextSibling.remove(); row.remove(); }
    }
  }

  function appendEvents(newEvents) {
    for (const event of newEvents) {
      if (byId.has(event.id)) continue;
      event.step = stepOf(event);
      events.push(event);
      byId.set(event.id, event);
      const detailsKey = Object.keys(event).find(k => k.endsWith('EventDetails'));
      const detailsValue = detailsKey ? event[detailsKey] : undefined;
      const resource = detailsValue && (detailsValue.resource || detailsValue.resourceType) ? [detailsValue.resourceType, detailsValue.resource].filter(Boolean).join(': ') : '';
      const elapsed = Math.round((event.timestamp - events[0].timestamp) * 1000);
      const detailRow = h('tr', { className: 'event-details', hidden: true }, h('td', { colspan: 6 }, h('pre', {}, detailsValue ? pretty(detailsValue) : '(no details)')));
      const row = h('tr', { className: 'event-row', 'data-event-id': event.id, 'data-type': event.type, onclick: () => { detailRow.hidden = !detailRow.hidden; } },
        h('td', {}, String(event.id)), h('td', {}, event.type), h('td', {}, event.step), h('td', {}, resource), h('td', {}, elapsed + ' ms'), h('td', {}, date(event.timestamp)));
      rows.append(row, detailRow);
    }
  }

  // One inline Map iteration shown alone: { mapState, index, processorStates, states, eventIds }.
  let overlay = null;
  function applyView() {
    applyStatuses(svg, states);
    const marked = new Set(overlay ? overlay.eventIds.map(String) : []);
    for (const row of rows.querySelectorAll('tr.event-row')) row.classList.toggle('sl-iteration-row', marked.has(row.getAttribute('data-event-id')));
    if (!overlay) return;
    const inside = new Set(overlay.processorStates);
    for (const node of nodesOf(svg)) {
      const name = node.getAttribute('data-state');
      if (!inside.has(name)) continue;
      const status = overlay.states[name] ? overlay.states[name].status : 'notReached';
      for (const s of STATE_STATUSES) node.classList.remove('sl-status-' + s);
      node.classList.add('sl-status-' + status);
      node.setAttribute('data-status', status);
    }
  }
  async function selectIteration(mapState, index, processorStates) {
    const result = await getJSON('/console/states?executionArn=' + enc(arn) + '&mapState=' + enc(mapState) + '&iteration=' + index);
    overlay = { mapState, index, processorStates, states: result.states, eventIds: result.eventIds };
    applyView();
    for (const button of details.querySelectorAll('.iteration-button')) button.classList.toggle('active', button.id === 'iteration-' + index);
  }

  let stateRequests = 0;
  async function showState(name) {
    selected = name;
    const request = ++stateRequests;
    for (const node of nodesOf(svg)) node.classList.toggle('sl-selected', node.getAttribute('data-state') === name);
    try {
      const result = await getJSON('/console/states?executionArn=' + enc(arn));
      if (request !== stateRequests) return; // a later click or change has its own answer coming
      const state = result.states[name];
      const parts = [h('h3', { id: 'selected-state' }, name)];
      if (!state) parts.push(h('p', { className: 'muted' }, 'Not reached.'));
      else {
        parts.push(h('dl', { className: 'kv' },
          h('dt', {}, 'Status'), h('dd', { id: 'selected-status' }, state.status),
          h('dt', {}, 'Attempts'), h('dd', {}, String(state.attempts)),
          state.input !== undefined ? [h('dt', {}, 'Input'), h('dd', {}, h('pre', { id: 'selected-input' }, pretty(state.input)))] : [],
          state.output !== undefined ? [h('dt', {}, 'Output'), h('dd', {}, h('pre', { id: 'selected-output' }, pretty(state.output)))] : [],
          state.assignedVariables !== undefined ? [h('dt', {}, 'Variables'), h('dd', {}, h('pre', { id: 'selected-variables' }, pretty(state.assignedVariables)))] : [],
          state.error !== undefined ? [h('dt', {}, 'Error'), h('dd', { className: 'error', id: 'selected-error' }, state.error)] : [],
          state.cause !== undefined ? [h('dt', {}, 'Cause'), h('dd', {}, h('pre', {}, pretty(state.cause)))] : []));
        const ofThisMap = e => e.type.startsWith('MapIteration') && Object.values(e).some(v => v && typeof v === 'object' && v.name === name);
        const iterations = events.filter(ofThisMap);
        if (iterations.length) {
          const count = type => iterations.filter(e => e.type === type).length;
          parts.push(h('p', { id: 'map-iterations' }, 'Map iterations: ', count('MapIterationStarted') + ' started, ' + count('MapIterationSucceeded') + ' succeeded, ' + count('MapIterationFailed') + ' failed, ' + count('MapIterationAborted') + ' aborted'));
          // Pick one iteration: the Map's inner states take that iteration's colours, its events are marked.
          const listed = await getJSON('/console/iterations?executionArn=' + enc(arn) + '&mapState=' + enc(name));
          if (request !== stateRequests) return;
          const buttons = listed.iterations.map(it => h('button', {
            className: 'iteration-button' + (overlay && overlay.mapState === name && overlay.index === it.index ? ' active' : ''),
            id: 'iteration-' + it.index, 'data-status': it.status,
            onclick: () => selectIteration(name, it.index, listed.processorStates),
          }, '#' + it.index + ' ' + it.status));
          parts.push(h('div', { id: 'iteration-picker' }, buttons,
            h('button', { id: 'iterations-all', onclick: () => { overlay = null; applyView(); showState(name); } }, 'All iterations')));
        }
        // A Distributed Map's runs, as its MapRunStarted events name them.
        const runs = [...new Set(events.filter(e => e.type === 'MapRunStarted' && e.step === name && e.mapRunStartedEventDetails)
          .map(e => e.mapRunStartedEventDetails.mapRunArn))];
        if (runs.length) {
          parts.push(h('div', { id: 'state-map-runs' }, 'Map Runs: ', runs.map(run => h('a', { href: '#/maprun/' + enc(run), className: 'map-run-link' }, run.split(':').pop() + ' '))));
        }
      }
      details.replaceChildren(...parts);
    } catch (e) { details.replaceChildren(failure(e)); }
  }

  // `after`: the events the page has that it trusts; after a lost connection none (the server
  // may have restarted and rewritten some in place), so the feed sends them all again.
  function listen(after = events.length) {
    if (source) source.close();
    const feed = new EventSource('/console/stream?executionArn=' + enc(arn) + '&after=' + after);
    source = feed;
    feed.onmessage = message => {
      const change = JSON.parse(message.data);
      keepEvents(change.from);
      appendEvents(change.events);
      states = change.states;
      applyView();
      setStatus(change.status);
      renderWaits(change.waits);
      if (overlay) selectIteration(overlay.mapState, overlay.index, overlay.processorStates);
      if (selected) showState(selected);
    };
    feed.onerror = () => {
      // Refused for good (an error status: the execution is gone): as before, no retry.
      if (feed.readyState === EventSource.CLOSED) return;
      // The server went away (a restart): listen again, from nothing, once it answers.
      feed.close();
      if (source !== feed) return;
      source = null;
      setTimeout(() => { if (!source && !left) listen(0); }, 1000);
    };
    feed.addEventListener('closed', async () => {
      feed.close();
      if (source !== feed) return; // a redrive opened a newer feed
      source = null;
      const described = await aws('DescribeExecution', { executionArn: arn });
      renderSummary(described);
      setStatus(described.status);
      loadMapRuns();
    });
  }

  async function loadMapRuns() {
    try {
      const runs = await awsAll('ListMapRuns', { executionArn: arn }, 'mapRuns');
      mapRuns.replaceChildren(runs.length ? [h('h2', {}, 'Map Runs'), table(['Map Run', 'Started', 'Stopped'], runs.map(r =>
        h('tr', {}, h('td', {}, h('a', { href: '#/maprun/' + enc(r.mapRunArn) }, r.mapRunArn.split(':').slice(-1)[0])), h('td', {}, date(r.startDate)), h('td', {}, date(r.stopDate)))))] : []);
    } catch (e) { mapRuns.replaceChildren(failure(e)); }
  }

  stop.addEventListener('click', async () => {
    actionError.textContent = '';
    try { await aws('StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'Stopped from the StepLocal console' }); } catch (e) { actionError.textContent = e.message; }
  });
  redrive.addEventListener('click', async () => {
    actionError.textContent = '';
    try { await aws('RedriveExecution', { executionArn: arn }); setStatus('RUNNING'); listen(); } catch (e) { actionError.textContent = e.message; }
  });
  exportButton.addEventListener('click', async () => {
    const all = await awsAll('GetExecutionHistory', { executionArn: arn, maxResults: 1000 }, 'events', 1e9);
    const blob = new Blob([JSON.stringify({ events: all }, null, 2)], { type: 'application/json' });
    const link = h('a', { href: URL.createObjectURL(blob), download: execution.name + '-history.json' });
    document.body.append(link);
    link.click();
    link.remove();
  });

  const svg = await loadGraph(graph, '/console/graph.svg?executionArn=' + enc(arn));
  for (const node of nodesOf(svg)) node.addEventListener('click', () => showState(node.getAttribute('data-state')));
  listen();
  loadMapRuns();
  return { close() { left = true; if (source) source.close(); } };
}

async function mapRunPage(arn) {
  const run = await aws('DescribeMapRun', { mapRunArn: arn });
  const children = await awsAll('ListExecutions', { mapRunArn: arn }, 'executions');
  show(h('p', {}, executionLink(run.executionArn)), h('h1', {}, 'Map Run ' + arn.split(':').pop()), h('div', { className: 'arn' }, arn),
    h('p', {}, badge(run.status), ' · max concurrency ', String(run.maxConcurrency), ' · items ', JSON.stringify(run.itemCounts)),
    h('h2', {}, 'Child executions'),
    table(['Name', 'Status', 'Started', 'Stopped'], children.map(e =>
      h('tr', {}, h('td', {}, executionLink(e.executionArn, e.name)), h('td', {}, badge(e.status)), h('td', {}, date(e.startDate)), h('td', {}, date(e.stopDate))))));
}

async function scenariosPage() {
  const result = await getJSON('/console/scenarios');
  const machines = result.stateMachines;
  if (!machines.length) { show(h('h1', {}, 'Scenarios'), h('p', { className: 'muted' }, 'No scenario cases: start the server with --scenarios DIR or a mock config.')); return; }
  show(h('h1', {}, 'Scenarios'), machines.map(m => [h('h2', {}, m.stateMachineName), table(['Case', 'Executions'], m.cases.map(c =>
    h('tr', {}, h('td', {}, c.name), h('td', {}, c.executions.length ? c.executions.map(e => h('div', {}, executionLink(e.executionArn, e.name), ' ', badge(e.status))) : h('span', { className: 'muted' }, 'none yet')))))]));
}

// MARK: Routing

async function route() {
  if (currentView && currentView.close) currentView.close();
  currentView = null;
  const [, page, encoded] = location.hash.split('/');
  const arn = encoded ? decodeURIComponent(encoded) : '';
  try {
    if (page === 'machine' && arn) currentView = await machinePage(arn);
    else if (page === 'execution' && arn) currentView = await executionPage(arn);
    else if (page === 'maprun' && arn) currentView = await mapRunPage(arn);
    else if (page === 'scenarios') currentView = await scenariosPage();
    else currentView = await machinesPage();
  } catch (e) {
    show(failure(e));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  const regionInput = document.getElementById('region');
  regionInput.value = region();
  regionInput.placeholder = 'server default';
  regionInput.addEventListener('change', () => { localStorage.setItem('steplocal.region', regionInput.value.trim()); route(); });
  window.addEventListener('hashchange', route);
  route();
});
