// Adds diagram interchange (DI) to BPMN files written without it, so Camunda Modeler renders them.
// Usage: node layout.mjs file.bpmn... (rewrites each file in place; files that have DI are skipped)
import { readFileSync, writeFileSync } from 'node:fs';
import { layoutProcess } from 'bpmn-auto-layout';

for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, 'utf8');
  if (xml.includes('<bpmndi:BPMNDiagram')) {
    console.log(`${file}: has DI, skipped`);
    continue;
  }
  writeFileSync(file, await layoutProcess(xml));
  console.log(`${file}: laid out`);
}
