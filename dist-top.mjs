import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2]));
const self = new Map(); const byId = new Map(p.nodes.map(n => [n.id, n]));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
let total = 0;
for (const n of p.nodes) { const t = dt.get(n.id) || 0; total += t; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + t); }
const byFile = new Map();
for (const n of p.nodes) { const t = dt.get(n.id) || 0; const u = n.callFrame.url.includes('node_modules') ? n.callFrame.url.split('node_modules/')[1].split('/')[0] : (n.callFrame.url.split('/').slice(-1)[0] || n.callFrame.functionName); byFile.set(u, (byFile.get(u) || 0) + t); }
console.log('total ms', total / 1000);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((100 * v / total).toFixed(1).padStart(5), k);
console.log('--- by package/file');
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log((100 * v / total).toFixed(1).padStart(5), k);
