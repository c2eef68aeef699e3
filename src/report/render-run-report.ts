import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { RunRecord } from '../record/run-record.ts';
import type { SampleRecord } from '../observe/cgroup-sampler.ts';
import { buildRunReportModel, type RunReportModel } from './run-report-model.ts';

function template(name: string): string {
  return readFileSync(new URL(`./templates/${name}.hbs`, import.meta.url), 'utf8');
}

// A private instance: no helpers or partials registered on the global Handlebars.
const handlebars = Handlebars.create();
for (const partial of ['badge', 'timeline', 'container-run']) handlebars.registerPartial(partial, template(partial));
// Strict: a field the template names but the model lacks is an error, not a silent blank.
const page = handlebars.compile<RunReportModel>(template('run-report'), { strict: true });

/** Applies the report template to a view model. Every value is HTML-escaped by the template. */
export function renderRunReportModel(model: RunReportModel): string {
  return page(model);
}

/** report.html for one `oomlab run`: a single self-contained page (inline CSS and SVG, no scripts). */
export function renderRunReport(record: RunRecord, samples: readonly SampleRecord[]): string {
  return renderRunReportModel(buildRunReportModel(record, samples));
}
