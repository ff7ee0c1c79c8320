/**
 * The migration report of one service for one target: every certificate with its health and mapping, the blockers,
 * identities and grants, the checklist and the chosen output — as Markdown and as a self-contained printable HTML
 * page (the page an admin attaches to a change request). Pure; no secret is in a plan, so none is in a report.
 */
import { MIGRATION_FORMAT_LABELS, migrationFileName, type MigrationFormat } from '../snippets';
import type { MigrationPlan } from './migration';

export type ReportFormat = 'markdown' | 'html';

export function migrationReportFileName(plan: MigrationPlan, format: ReportFormat): string {
  return `${plan.service.name}-migration-${plan.target}.${format === 'markdown' ? 'md' : 'html'}`;
}

const SEVERITY_LABEL = { blocker: 'Blocker', warning: 'Check', drop: 'Drop' } as const;
const FENCE: Record<MigrationFormat, string> = { arm: 'json', bicep: 'bicep', az: 'bash', powershell: 'powershell' };

/** A Markdown table cell: pipes escaped, line breaks flattened. */
const cell = (s: string | number | null | undefined) =>
  s === null || s === undefined || s === '' ? '—' : String(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function rowsOf(plan: MigrationPlan) {
  return plan.certificates.map((c) => ({
    role: c.role,
    name: c.name,
    store: `${c.storeLocation}/${c.storeName}${c.storeFrom === 'default' ? ' (assumed)' : ''}`,
    vault: c.vaultName ?? '—',
    version: c.version ?? '—',
    expires: c.daysLeft === null ? day(c.expiresOn) : `${day(c.expiresOn)} (${c.daysLeft} days)`,
    key: [c.key, c.signatureAlgorithm].filter(Boolean).join(', ') || '—',
    health: c.status,
    mapping: c.mapping,
  }));
}

function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

export function migrationReportMarkdown(plan: MigrationPlan, format: MigrationFormat): string {
  const s = plan.service;
  const must = plan.blockers.filter((b) => b.severity === 'blocker').length;
  const out: string[] = [
    `# Migration of ${s.name} to ${plan.targetLabel}`,
    '',
    `- Cloud service: \`${s.id}\` (${s.location})`,
    `- Health today: ${plan.health.label} — ${plan.health.summary}`,
    `- Target: ${plan.targetLabel}; Cloud Services (extended support) retire on ${plan.deadline}`,
    `- Stores from: ${plan.csdefGiven ? 'the .csdef' : 'no .csdef given — LocalMachine/My assumed'}`,
    `- Verdict: ${must ? `${must} blocker${must === 1 ? '' : 's'} to clear before the move` : 'no blockers'}`,
    `- Generated: ${plan.generatedAt.slice(0, 16).replace('T', ' ')} UTC by cses-cert-wizard`,
    '',
    '## Certificates',
    '',
    '| Role | Certificate | Store | Vault | Version | Expires | Key | Health | Mapping |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rowsOf(plan).map(
      (r) =>
        `| ${cell(r.role)} | ${cell(r.name)} | ${cell(r.store)} | ${cell(r.vault)} | ${cell(r.version)} | ${cell(r.expires)} | ${cell(r.key)} | ${cell(r.health)} | ${cell(r.mapping)} |`,
    ),
    '',
    '## Blockers and checks',
    '',
    ...(plan.blockers.length
      ? plan.blockers.map(
          (b) =>
            `- **${SEVERITY_LABEL[b.severity]}** (${b.id})${b.certificate ? ` ${b.role}/${b.certificate}` : ''}: ${b.message} _Fix:_ ${b.fix}`,
        )
      : ['None.']),
    '',
    '## Identities and access',
    '',
    ...(plan.identities.length
      ? [
          ...plan.identities.map((i) => `- ${i.name} (${i.kind}): ${i.note}`),
          ...plan.grants.map(
            (g) =>
              `- ${g.principal} on ${g.vaultName}: ${g.how === 'rbac' ? `role ${g.what}` : `access policy ${g.what}`} — scope \`${g.vaultId}\``,
          ),
        ]
      : [
          '- No identity: the platform reads the vaults itself (they need "Azure Virtual Machines for deployment", the same region and subscription).',
        ]),
    '',
    '## Checklist, in order',
    '',
    ...plan.checklist.map((c, i) => `${i + 1}. [ ] **${c.title}.** ${c.detail}`),
    '',
  ];
  if (plan.outputs) {
    out.push(
      `## Output: ${MIGRATION_FORMAT_LABELS[format]} (${migrationFileName(s.name, plan.target, format)})`,
      '',
      fence(plan.outputs[format], FENCE[format]),
      '',
    );
  } else if (plan.outputError) {
    out.push('## Output', '', `${plan.outputError.message} ${plan.outputError.action}`, '');
  }
  return out.join('\n');
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{border:1px solid #bbb;padding:.3rem .4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f0f0f0}ul.meta{list-style:none;padding:0}ul.meta li{margin:.1rem 0}
.blocker{color:#8a1f11;font-weight:600}.warning{color:#7a4b00;font-weight:600}.drop{color:#444;font-weight:600}
pre{background:#f6f6f6;border:1px solid #ddd;padding:.6rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:11px}
ol li{margin:.3rem 0}.box{display:inline-block;width:.9em;height:.9em;border:1px solid #333;margin-right:.4em;vertical-align:-.1em}
@media print{body{margin:0;max-width:none}pre{page-break-inside:auto}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
`;

export function migrationReportHtml(plan: MigrationPlan, format: MigrationFormat): string {
  const s = plan.service;
  const must = plan.blockers.filter((b) => b.severity === 'blocker').length;
  const rows = rowsOf(plan)
    .map(
      (r) =>
        `<tr data-role="${esc(r.role)}" data-certificate="${esc(r.name)}"><td>${esc(r.role)}</td><td>${esc(r.name)}</td><td>${esc(r.store)}</td><td>${esc(r.vault)}</td><td>${esc(r.version)}</td><td>${esc(r.expires)}</td><td>${esc(r.key)}</td><td>${esc(r.health)}</td><td>${esc(r.mapping)}</td></tr>`,
    )
    .join('\n');
  const blockers = plan.blockers.length
    ? `<ul>${plan.blockers
        .map(
          (b) =>
            `<li data-blocker="${esc(b.id)}"><span class="${b.severity}">${SEVERITY_LABEL[b.severity]}</span> (${esc(b.id)})${b.certificate ? ` ${esc(`${b.role}/${b.certificate}`)}` : ''}: ${esc(b.message)} <em>Fix:</em> ${esc(b.fix)}</li>`,
        )
        .join('\n')}</ul>`
    : '<p>None.</p>';
  const access = plan.identities.length
    ? `<ul>${[
        ...plan.identities.map((i) => `<li>${esc(i.name)} (${esc(i.kind)}): ${esc(i.note)}</li>`),
        ...plan.grants.map(
          (g) =>
            `<li>${esc(g.principal)} on ${esc(g.vaultName)}: ${esc(g.how === 'rbac' ? `role ${g.what}` : `access policy ${g.what}`)} — scope <code>${esc(g.vaultId)}</code></li>`,
        ),
      ].join('\n')}</ul>`
    : '<p>No identity: the platform reads the vaults itself (they need “Azure Virtual Machines for deployment”, the same region and subscription).</p>';
  const steps = plan.checklist
    .map(
      (c) => `<li><span class="box" aria-hidden="true"></span><strong>${esc(c.title)}.</strong> ${esc(c.detail)}</li>`,
    )
    .join('\n');
  const output = plan.outputs
    ? `<h2>Output: ${esc(MIGRATION_FORMAT_LABELS[format])} (${esc(migrationFileName(s.name, plan.target, format))})</h2>\n<pre>${esc(plan.outputs[format])}</pre>`
    : plan.outputError
      ? `<h2>Output</h2><p>${esc(plan.outputError.message)} ${esc(plan.outputError.action)}</p>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Migration of ${esc(s.name)} to ${esc(plan.targetLabel)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Migration of ${esc(s.name)} to ${esc(plan.targetLabel)}</h1>
<ul class="meta">
<li>Cloud service: <code>${esc(s.id)}</code> (${esc(s.location)})</li>
<li>Health today: ${esc(plan.health.label)} — ${esc(plan.health.summary)}</li>
<li>Target: ${esc(plan.targetLabel)}; Cloud Services (extended support) retire on ${esc(plan.deadline)}</li>
<li>Stores from: ${plan.csdefGiven ? 'the .csdef' : 'no .csdef given — LocalMachine/My assumed'}</li>
<li id="verdict">Verdict: ${must ? `${must} blocker${must === 1 ? '' : 's'} to clear before the move` : 'no blockers'}</li>
<li>Generated: ${esc(plan.generatedAt.slice(0, 16).replace('T', ' '))} UTC by cses-cert-wizard</li>
</ul>
<h2>Certificates</h2>
<table>
<thead><tr><th>Role</th><th>Certificate</th><th>Store</th><th>Vault</th><th>Version</th><th>Expires</th><th>Key</th><th>Health</th><th>Mapping</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Blockers and checks</h2>
${blockers}
<h2>Identities and access</h2>
${access}
<h2>Checklist, in order</h2>
<ol>
${steps}
</ol>
${output}
</main>
</body>
</html>
`;
}
