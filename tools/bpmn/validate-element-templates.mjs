// Validates Camunda Modeler element templates against their JSON Schema, as Modeler does on load.
// Usage: node validate-element-templates.mjs file.json...
import { readFileSync } from 'node:fs';
import { validate } from '@bpmn-io/element-templates-validator';

let failed = false;
for (const file of process.argv.slice(2)) {
  const templates = [].concat(JSON.parse(readFileSync(file, 'utf8')));
  for (const template of templates) {
    const { valid, errors } = validate(template);
    if (valid) {
      console.log(`${file}: ${template.id} ok`);
    } else {
      failed = true;
      console.error(`${file}: ${template.id}: ${errors.map(error => error.message).join("; ")}`);
    }
  }
}
process.exit(failed ? 1 : 0);
