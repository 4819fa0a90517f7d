'use strict';

const POLL_MILLIS = 1000;
const CHART_SECONDS = 60;
const $ = (id) => document.getElementById(id);

let labFaultInProgress = null;

const chart = new Chart($('chart'), {
    type: 'line',
    data: {
        labels: [],
        datasets: [
            { label: 'ops/s', data: [], yAxisID: 'ops', borderColor: '#2f6fdb', backgroundColor: '#2f6fdb', pointRadius: 0, tension: .1 },
            { label: 'errors/s', data: [], yAxisID: 'ops', borderColor: '#c0392b', backgroundColor: '#c0392b', pointRadius: 0, stepped: true },
            { label: 'p99 latency (ms)', data: [], yAxisID: 'latency', borderColor: '#e69b00', backgroundColor: '#e69b00', pointRadius: 0, tension: .1 }
        ]
    },
    options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
            ops: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'per second' } },
            latency: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'ms' } }
        }
    }
});

async function json(url, options) {
    const response = await fetch(url, Object.assign({ headers: { 'Accept': 'application/json' } }, options));
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
        throw new Error(body.message || (response.status + ' ' + response.statusText));
    }
    return body;
}

function text(value) {
    if (value === null || value === undefined) {
        return '';
    }
    return (typeof value === 'object') ? JSON.stringify(value) : String(value);
}

function element(tag, content, className) {
    const node = document.createElement(tag);
    node.textContent = content;
    if (className) {
        node.className = className;
    }
    return node;
}

function renderTopology(topology) {
    $('mode').textContent = topology.mode;
    const writable = $('writable');
    writable.textContent = topology.writable ? 'writable' : 'no writable endpoint';
    writable.className = 'badge ' + (topology.writable ? 'ok' : 'bad');
    if (topology.stale) {
        writable.textContent += ' (stale)';
    }
    const master = topology.endpoints.find((e) => e.writable && e.inUse) || topology.endpoints.find((e) => e.writable);
    $('master-address').textContent = master ? master.address : 'none';
    const body = $('endpoints').querySelector('tbody');
    body.replaceChildren(...topology.endpoints.map((endpoint) => {
        const row = document.createElement('tr');
        row.dataset.address = endpoint.address;
        row.dataset.role = endpoint.role;
        row.className = 'role-' + endpoint.role + (endpoint.reachable ? '' : ' unreachable');
        row.append(element('td', endpoint.address), element('td', endpoint.role), element('td', endpoint.reachable ? 'yes' : 'no'),
            element('td', endpoint.writable ? 'yes' : 'no'), element('td', endpoint.inUse ? 'yes' : ''),
            element('td', Object.entries(endpoint.details || {}).map(([k, v]) => k + '=' + text(v)).join('  '), 'details'));
        return row;
    }));
    $('topology-details').replaceChildren(...Object.entries(topology.details || {}).flatMap(([k, v]) => [element('dt', k), element('dd', text(v))]));
    $('event-total').textContent = (topology.totalEvents || 0) + ' in total';
    $('events').replaceChildren(...(topology.events || []).slice().reverse().slice(0, 15).map((event) => {
        const describe = (endpoints) => endpoints.map((e) => e.address + ' ' + e.role).join(', ');
        return element('li', new Date(event.at).toLocaleTimeString() + ' ' + event.reason + ': [' + describe(event.before) + '] → [' + describe(event.after) + ']');
    }));
}

function renderWorkload(report) {
    $('workload-state').textContent = report.running ? 'running on ' + report.threads + ' threads' : 'stopped';
    $('workload-start').disabled = report.running;
    $('workload-stop').disabled = !report.running;
    const seconds = report.seconds.slice(-CHART_SECONDS);
    const last = seconds[seconds.length - 1] || { operations: 0, errors: 0, p99Millis: 0 };
    $('ops-now').textContent = last.operations;
    $('p99-now').textContent = last.p99Millis.toFixed(1);
    $('errors-now').textContent = last.errors;
    $('errors-recent').textContent = seconds.slice(-5).reduce((sum, s) => sum + s.errors, 0);
    $('total-ops').textContent = report.totalOperations;
    $('total-errors').textContent = report.totalErrors;
    chart.data.labels = seconds.map((s) => new Date(s.epochSecond * 1000).toLocaleTimeString());
    chart.data.datasets[0].data = seconds.map((s) => s.operations);
    chart.data.datasets[1].data = seconds.map((s) => s.errors);
    chart.data.datasets[2].data = seconds.map((s) => s.p99Millis);
    chart.update();
    $('errors').replaceChildren(...report.recentErrors.map((error) =>
        element('li', new Date(error.at).toLocaleTimeString() + ' ' + error.operation + ': ' + error.message)));
}

function renderLab(lab) {
    $('lab-badge').textContent = lab.running ? 'embedded ' + lab.topology + ' lab' : 'external Redis';
    $('lab-external').hidden = lab.running;
    const buttons = $('fault-buttons');
    if (buttons.childElementCount !== lab.faults.length) {
        buttons.replaceChildren(...lab.faults.map((fault) => {
            const button = element('button', fault.label);
            button.dataset.fault = fault.name;
            button.append(element('span', fault.description));
            button.addEventListener('click', () => inject(fault.name));
            return button;
        }));
    }
    buttons.querySelectorAll('button').forEach((button) => { button.disabled = lab.faultInProgress !== null; });
    const status = $('fault-status');
    if (lab.faultInProgress) {
        status.textContent = 'Injecting “' + lab.faultInProgress + '” and waiting for the deployment to recover…';
    }
    else if (lab.lastFault) {
        const took = ((new Date(lab.lastFault.recoveredAt) - new Date(lab.lastFault.startedAt)) / 1000).toFixed(1);
        status.textContent = lab.lastFault.error
            ? '“' + lab.lastFault.name + '” failed: ' + lab.lastFault.error
            : '“' + lab.lastFault.name + '” done; the deployment recovered in ' + took + ' s.';
    }
    if (labFaultInProgress && !lab.faultInProgress) {
        rediscover();
    }
    labFaultInProgress = lab.faultInProgress;
}

async function inject(fault) {
    try {
        renderLab(await json('/api/lab/faults/' + encodeURIComponent(fault), { method: 'POST' }));
    }
    catch (error) {
        $('fault-status').textContent = error.message;
    }
}

async function rediscover() {
    try {
        renderTopology(await json('/actuator/redis-topology', { method: 'POST' }));
    }
    catch (error) {
        $('master-address').textContent = 'unknown (' + error.message + ')';
    }
}

async function poll() {
    const [topology, workload, lab] = await Promise.allSettled([
        json('/actuator/redis-topology'), json('/api/workload'), json('/api/lab')]);
    if (topology.status === 'fulfilled') {
        renderTopology(topology.value);
    }
    if (workload.status === 'fulfilled') {
        renderWorkload(workload.value);
    }
    if (lab.status === 'fulfilled') {
        renderLab(lab.value);
    }
    setTimeout(poll, POLL_MILLIS);
}

$('workload-start').addEventListener('click', async () => renderWorkload(await json('/api/workload/start', { method: 'POST' })));
$('workload-stop').addEventListener('click', async () => renderWorkload(await json('/api/workload/stop', { method: 'POST' })));
$('rediscover').addEventListener('click', rediscover);
rediscover();
poll();
