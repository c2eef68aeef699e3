import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { buildComparisonReportModel, type ComparisonOptions, type ComparisonReportModel, type ComparisonRun } from './comparison-report-model.ts';

function template(name: string): string {
  return readFileSync(new URL(`./templates/${name}.hbs`, import.meta.url), 'utf8');
}

// A private instance: no helpers or partials registered on the global Handlebars.
const handlebars = Handlebars.create();
for (const partial of ['badge', 'comparison-chart']) handlebars.registerPartial(partial, template(partial));
// Strict: a field the template names but the model lacks is an error, not a silent blank.
const page = handlebars.compile<ComparisonReportModel>(template('comparison-report'), { strict: true });

/** Applies the comparison template to a view model. Every value is HTML-escaped by the template. */
export function renderComparisonReportModel(model: ComparisonReportModel): string {
  return page(model);
}

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched) comparing run
 * records: grouped by scenario, one column per record, the baseline (when given) first and the
 * reference every other column is compared against.
 */
export function renderComparisonReport(runs: readonly ComparisonRun[], options: ComparisonOptions = {}): string {
  return renderComparisonReportModel(buildComparisonReportModel(runs, options));
}
