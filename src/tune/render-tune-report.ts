import Handlebars from 'handlebars';
import { formatBytes } from '../units/size.ts';
import type { TuneOptions, TuneResult } from './tune.ts';

const TEMPLATE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>oomlab tune · {{scenario}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2328; max-width: 1000px; }
table { border-collapse: collapse; margin: 12px 0; } td, th { border-bottom: 1px solid #d0d7de; padding: 4px 10px; text-align: left; }
.met { color: #1a7f37; font-weight: 600; } .unmet { color: #cf222e; font-weight: 600; }
.box { border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; margin: 12px 0; background: #f6f8fa; }
svg text { font-size: 11px; fill: #57606a; }
</style></head><body>
<h1>Tuning {{param}} of {{container}} in {{scenario}}</h1>
<p>Target: every one of {{repeat}} run(s) ends <b>{{target}}</b>. Searched {{low}} … {{high}} for the {{direction}} value, to within {{precision}}.</p>
<div class="box">
{{#if boundary}}
<p>Boundary: <b>{{boundary}}</b> meets the target{{#if nearestFailing}}; {{nearestFailing}} does not{{/if}}.</p>
<p>Recommendation, with a {{margin}}% safety margin: <b>{{recommendation}}</b></p>
{{else}}
<p class="unmet">No value in the range meets the target{{#if nearestFailing}} (even {{nearestFailing}} does not){{/if}}.</p>
{{/if}}
</div>
<h2>Outcome against value</h2>
<svg width="{{chart.width}}" height="{{chart.height}}" role="img" aria-label="outcome against value">
  <line x1="40" y1="{{chart.axisY}}" x2="{{chart.right}}" y2="{{chart.axisY}}" stroke="#8c959f"/>
  {{#each chart.points}}<circle cx="{{x}}" cy="{{y}}" r="6" fill="{{#if met}}#1a7f37{{else}}#cf222e{{/if}}"><title>{{label}}</title></circle>{{/each}}
  {{#if chart.boundaryX}}<line x1="{{chart.boundaryX}}" y1="10" x2="{{chart.boundaryX}}" y2="{{chart.axisY}}" stroke="#0969da" stroke-dasharray="4 3"/><text x="{{chart.boundaryX}}" y="10">boundary</text>{{/if}}
  <text x="40" y="{{chart.labelY}}">{{low}}</text><text x="{{chart.right}}" y="{{chart.labelY}}" text-anchor="end">{{high}}</text>
</svg>
<table><thead><tr><th>#</th><th>value</th><th>outcomes</th><th>meets target</th><th>evidence run</th></tr></thead><tbody>
{{#each probes}}<tr><td>{{order}}</td><td>{{value}}</td><td>{{outcomes}}</td><td class="{{#if met}}met{{else}}unmet{{/if}}">{{#if met}}yes{{else}}no{{/if}}</td><td><a href="{{runDir}}/report.html">{{runDir}}</a></td></tr>{{/each}}
</tbody></table>
</body></html>`;

const template = Handlebars.create().compile(TEMPLATE, { strict: false });

function formatValue(param: string, value: number): string {
  return param === 'pidsLimit' || param === 'oomScoreAdj' || param === 'cpus' ? String(value) : formatBytes(value);
}

/** The tuning report: outcome against value, the boundary, a recommendation and the evidence runs. */
export function renderTuneReport(scenario: string, options: TuneOptions, result: TuneResult, recommendation: number | null, marginPercent: number): string {
  const { low, high } = options.range;
  const width = 800;
  const x = (value: number) => Math.round(40 + ((value - low) / Math.max(1, high - low)) * (width - 80));
  return template({
    scenario,
    param: options.param,
    container: options.container,
    repeat: options.repeat,
    target: options.target,
    direction: options.find === 'min' ? 'smallest' : 'largest',
    low: formatValue(options.param, low),
    high: formatValue(options.param, high),
    precision: formatValue(options.param, options.precision),
    boundary: result.boundary === null ? null : formatValue(options.param, result.boundary),
    nearestFailing: result.nearestFailing === null ? null : formatValue(options.param, result.nearestFailing),
    recommendation: recommendation === null ? null : formatValue(options.param, recommendation),
    margin: marginPercent,
    chart: {
      width,
      height: 90,
      axisY: 50,
      labelY: 80,
      right: width - 40,
      boundaryX: result.boundary === null ? null : x(result.boundary),
      points: result.probes.map((p) => ({ x: x(p.value), y: 50, met: p.met, label: `${formatValue(options.param, p.value)}: ${p.outcomes.join(', ')}` })),
    },
    probes: result.probes.map((p, index) => ({ order: index + 1, value: formatValue(options.param, p.value), outcomes: p.outcomes.join(', '), met: p.met, runDir: p.runDir })),
  });
}
