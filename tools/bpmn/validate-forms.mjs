// Checks the Camunda Forms of the human gates as Camunda 7.24's Tasklist will use them: each .form
// is imported and rendered by form-js-viewer 1.8.7 (the viewer 7.24 ships, form schema version 16)
// in a DOM (jsdom), its id matches its file name, its decision (a required radio field) refuses an empty
// submission and accepts a choice — the approval gates' accepts exactly approve / reject /
// request_changes beside a comment — and every camunda:formRef in the models names a form.
// Usage: node validate-forms.mjs ../../forms/*.form ../../processes/src/main/resources/bpmn/*.bpmn
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
for (const name of ['window', 'document', 'navigator', 'KeyboardEvent', 'Event', 'CustomEvent', 'HTMLElement',
  'Node', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'DOMParser',
  'Element', 'HTMLInputElement']) {
  if (!(name in globalThis)) {
    globalThis[name] = name === 'window' ? dom.window : dom.window[name];
  }
}
const require = createRequire(import.meta.url);
const { Form, schemaVersion } = require('@bpmn-io/form-js-viewer');

// fields register with the form when they render, which preact does on a later tick (later still on a
// loaded machine): wait until the form's radio inputs are in the DOM, then one more tick
const tick = ms => new Promise(resolve => setTimeout(resolve, ms));
const rendered = async container => {
  for (let waited = 0; waited < 30000 && !container.querySelector('input[type="radio"]'); waited += 20) await tick(20);
  await tick(50);
};
// submit() and validate() read the field instances form-js registers once it has rendered them (an import clears
// them): wait for the decision field's, not for inputs a previous import may have left in the container
const registered = async (form, id) => {
  const instances = form.get('formFieldInstanceRegistry');
  for (let waited = 0; waited < 30000 && !instances.getAll().some(i => i.id === id); waited += 20) await tick(20);
};
const DECISIONS = ['approve', 'reject', 'request_changes'];
const APPROVAL_GATES = ['approve-plan', 'approve-merge', 'approve-deploy'];
const SAMPLE = {
  planPicture: '/camunda/api/tasklist/plugin/facteur-plan/default/idea/idea-1/plan.svg',
  gateSummary: '**An idea** — demo/x\n\nIdea [`idea-1`](/api/ideas/idea-1)\n\n**Goal:** a \\<b\\>goal\\</b\\>',
  gatePlan: '**Tasks** (1)\n\n- `t1` Do it\n\n**Risks**\n\n| Risk | Likelihood | Impact | Mitigation |\n| --- | --- | --- | --- |\n| a \\| b | low | high | tests |',
  gateReasons: '- **REQUIRE_APPROVAL** `risky`',
  qaSummary: '- review attempt 1: **PASSED**',
};
const files = process.argv.slice(2);
const problems = [];
const ids = new Set();

for (const file of files.filter(f => f.endsWith('.form'))) {
  const fail = message => problems.push(`${file}: ${message}`);
  let schema;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`not JSON: ${e.message}`);
    continue;
  }
  ids.add(schema.id);
  if (schema.id !== basename(file, '.form')) fail(`id '${schema.id}' must equal the file name (the camunda:formRef)`);
  if (schema.type !== 'default') fail(`type must be 'default', not '${schema.type}'`);
  if (!(schema.schemaVersion <= schemaVersion)) fail(`schemaVersion ${schema.schemaVersion} is newer than Tasklist's ${schemaVersion}`);
  const container = document.createElement('div');
  document.body.appendChild(container);
  const form = new Form({ container });
  try {
    const { warnings } = await form.importSchema(schema, SAMPLE);
    await rendered(container);
    if (warnings.length) fail(`import warnings: ${warnings.map(w => w.message).join('; ')}`);
  } catch (e) {
    fail(`form-js cannot import it: ${e.message}`);
    continue;
  }
  // every form decides something: one required radio field; the approval gates' is 'decision' with
  // approve / reject / request_changes, beside a comment and the gate's summary
  const decision = APPROVAL_GATES.includes(schema.id)
    ? schema.components.find(c => c.key === 'decision')
    : schema.components.find(c => c.type === 'radio' && c.validate && c.validate.required);
  if (!decision || decision.type !== 'radio') {
    fail(APPROVAL_GATES.includes(schema.id) ? "has no radio field 'decision'" : 'has no required radio field (its decision)');
    continue;
  }
  if (APPROVAL_GATES.includes(schema.id)) {
    const values = decision.values.map(v => v.value).sort();
    if (JSON.stringify(values) !== JSON.stringify([...DECISIONS].sort())) fail(`decision values ${values} must be ${DECISIONS}`);
    if (!schema.components.some(c => c.key === 'comment')) fail("has no field 'comment'");
    if (!container.textContent.includes('An idea')) fail('does not show gateSummary');
    if (!container.textContent.includes('a <b>goal</b>')) fail('does not show gateSummary\'s escaped text literally');
    if (!container.querySelector('a[href="/api/ideas/idea-1"]')) fail('does not link to the idea');
    const cells = [...container.querySelectorAll('table td')].map(td => td.textContent);
    if (JSON.stringify(cells) !== JSON.stringify(['a | b', 'low', 'high', 'tests'])) fail(`does not show gatePlan's risk table: ${cells}`);
    if (!container.textContent.includes('REQUIRE_APPROVAL')) fail('does not show gateReasons');
    if (!container.textContent.includes('review attempt 1')) fail('does not show qaSummary');
    // form-js's image field drops a source that is not http(s) or data:, so the picture is a Markdown image
    if (schema.id === 'approve-plan' && !container.querySelector(`img[src="${SAMPLE.planPicture}"]`)) {
      fail('does not show the plan picture (planPicture, an engine-relative path)');
    }
  }
  await registered(form, decision.id);
  const empty = form.submit();
  // errors are keyed by field id
  if (!empty.errors[decision.id]) fail(`a submission without '${decision.key}' must be refused`);
  form.reset();
  const choice = decision.values[0].value;
  await form.importSchema(schema, { ...SAMPLE, [decision.key]: choice });
  await rendered(container);
  await registered(form, decision.id);
  const ok = form.submit();
  if (Object.keys(ok.errors).length) fail(`a valid submission is refused: ${JSON.stringify(ok.errors)}`);
  if (ok.data[decision.key] !== choice) fail(`submitted data lacks '${decision.key}': ${JSON.stringify(ok.data)}`);
  form.destroy();
  if (!problems.some(p => p.startsWith(file))) console.log(`${file}: ${schema.id} ok (form-js ${schemaVersion})`);
}

for (const file of files.filter(f => f.endsWith('.bpmn'))) {
  for (const [, ref] of readFileSync(file, 'utf8').matchAll(/camunda:formRef="([^"]+)"/g)) {
    if (!ids.has(ref)) problems.push(`${file}: camunda:formRef '${ref}' names no form`);
  }
}

problems.forEach(problem => console.error(problem));
process.exit(problems.length ? 1 : 0);
