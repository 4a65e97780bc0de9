// Drives Debian's chromium (headless, through puppeteer-core) through Camunda's Tasklist and Cockpit as a person
// would, for the engine's browser test (processes: BrowserGatesTest). It reads one JSON command per line on
// stdin and answers each with one JSON line on stdout: {"ok": true, ...what the page showed} or {"ok": false,
// "error": "..."}; it ends when stdin closes. Commands:
//   {"op": "login", "app": "tasklist" | "cockpit", "user": "...", "password": "..."}   (a browser context per app)
//   {"op": "gate", "taskName": "Approve plan: ...", "decision": "approve", "comment": "...", "screenshots": [...]}
//       opens the task from the list, claims it, reads its form (each text with its element names, tables, links,
//       images), measures at each screenshot's size how far the form's content reaches past its width and whether
//       the Complete button can be clicked (not under the fixed footer), decides and completes it (clicking Complete
//       again, as a person would, when Tasklist shows that the engine refused it for a concurrent change)
//   {"op": "plan", "processInstanceId": "...", "screenshots": [...]}
//       opens the instance in Cockpit, its Plan tab, and reads the plan picture (tasks, states, dependencies, texts)
// A screenshot is {"width": 1280, "height": 800, "path": "/.../gate-1280x800.png"}.
// Environment: FACTEUR_BASE_URL (the engine), CHROMIUM (the browser; default /usr/bin/chromium), FAILURES (a folder:
// on a failed command, a screenshot and the HTML of each open page are written there).
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import puppeteer from 'puppeteer-core';

const BASE = process.env.FACTEUR_BASE_URL;
const STEP_TIMEOUT = 30_000;
const DECISIONS = { approve: 'Approve', reject: 'Reject (ends the idea)', request_changes: 'Request changes' };

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // as root (CI) chromium needs --no-sandbox; /dev/shm may be small in containers
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none'],
});
const pages = {};

/** Navigates to a page of a webapp and waits for its app, once its scripts ran, to draw {@code ready}. */
async function open(page, url, ready) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return page.waitForSelector(ready, { visible: true }).catch(error => {
    throw new Error(`${url}: the app did not draw ${ready} (refused scripts, see the console lines on stderr): ${error.message}`);
  });
}

async function login({ app, user, password }) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', error => console.error(`${app}: page error: ${error.message}`));
  page.on('console', message => message.type() === 'error'
    && console.error(`${app}: console: ${message.text()} ${message.location()?.url || ''}`));
  await page.setViewport({ width: 1280, height: 800 });
  pages[app] = page;
  // the login form is drawn by the app once its scripts ran, which may be after the network went quiet
  await open(page, `${BASE}/camunda/app/${app}/default/`, 'input[ng-model=username]');
  await page.type('input[ng-model=username]', user);
  await page.type('input[ng-model=password]', password);
  await page.click('button[type=submit]');
  // signed in: the login form is gone and the user's menu is shown
  await page.waitForFunction(() => !document.querySelector('input[ng-model=password]'));
  return { app, user };
}

/**
 * Clicks {@code handle}. Angular may re-draw a list or a form between finding an element and clicking it (Tasklist
 * refreshes its list as tasks come and go), which detaches the found node; a person would click the re-drawn one,
 * so {@code findAgain} finds it, a few times at most. Returns the element clicked.
 */
async function clickRedrawn(handle, findAgain) {
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.click();
      return handle;
    } catch (error) {
      if (attempt >= 5 || !/detached|not attached|not clickable/i.test(String(error?.message))) throw error;
      handle = await findAgain();
    }
  }
}

/** Whether the node behind {@code handle} is still in the page (not replaced by a re-draw). */
const connected = handle => handle.evaluate(element => element.isConnected).catch(() => false);

function page(app) {
  if (!pages[app]) throw new Error(`not signed in to ${app}: send {"op": "login", "app": "${app}", ...} first`);
  return pages[app];
}

/**
 * Whether the element's centre is the element itself (nothing such as a fixed footer over it) once its scrolling
 * pane is scrolled to the end, as a person scrolls down to the last button of a form.
 */
async function clickable(handle) {
  return handle.evaluate(element => {
    for (let pane = element.parentElement; pane; pane = pane.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(pane).overflowY)) pane.scrollTop = pane.scrollHeight;
    }
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { clickable: element === top || element.contains(top), button: box.toJSON(),
      coveredBy: top && top !== element && !element.contains(top) ? top.outerHTML.slice(0, 120) : null };
  });
}

async function gate({ taskName, decision, comment, screenshots = [] }) {
  const tasklist = page('tasklist');
  await tasklist.setViewport({ width: 1280, height: 800 });
  // the list as Tasklist loads it; a gate created just now may need another look
  const findEntry = (timeout = 8_000) => tasklist.waitForFunction(name => [...document
    .querySelectorAll('ol.tasks-list li.task h4.task a')].find(a => a.textContent.trim() === name), { timeout }, taskName);
  let entry = null;
  for (const deadline = Date.now() + STEP_TIMEOUT; !entry && Date.now() < deadline;) {
    await open(tasklist, `${BASE}/camunda/app/tasklist/default/`, '.task-filters');
    entry = await findEntry().catch(() => null);
  }
  if (!entry) throw new Error(`no task '${taskName}' in Tasklist's list within ${STEP_TIMEOUT} ms`);
  await clickRedrawn(entry, () => findEntry(STEP_TIMEOUT));
  // an approver claims the task before working on it (unless it is theirs already)
  await tasklist.waitForSelector('.task-details .fjs-form');
  const findAssignee = () => tasklist.waitForSelector('.task-details button.claim, .task-details li.assignee:not(.set-value)');
  const assignee = await findAssignee();
  if (await assignee.evaluate(element => element.matches('button.claim'))) {
    await clickRedrawn(assignee, findAssignee);
    await tasklist.waitForSelector('.task-details li.assignee:not(.set-value)');
  }
  // claimed: the form is enabled, its links too
  await tasklist.waitForSelector('.task-details .fjs-form a[href]:not(.fjs-disabled-link)');
  await tasklist.waitForFunction(() => [...document.querySelectorAll('.task-details .fjs-form img')]
    .every(img => img.complete));
  const form = await tasklist.$eval('.task-details .fjs-form', root => ({
    texts: [...root.querySelectorAll('.fjs-form-field-text')].map(field => ({ text: field.innerText.trim(),
      elements: [...new Set([...field.querySelectorAll('*')].map(e => e.localName))].sort() })),
    tables: [...root.querySelectorAll('table')].map(table => ({
      headers: [...table.querySelectorAll('th')].map(th => th.textContent.trim()),
      rows: [...table.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim())),
    })),
    links: [...root.querySelectorAll('.fjs-form-field-text a')].map(a => ({ text: a.textContent.trim(), href: a.getAttribute('href') })),
    images: [...root.querySelectorAll('.fjs-form-field-text img')].map(img => ({ src: img.getAttribute('src'),
      alt: img.getAttribute('alt'), naturalWidth: img.naturalWidth, width: img.getBoundingClientRect().width })),
    strong: [...root.querySelectorAll('.fjs-form-field-text strong')].map(s => s.textContent.trim()),
  }));
  const label = DECISIONS[decision];
  const findChoice = () => tasklist.waitForFunction(text => [...document
    .querySelectorAll('.task-details .fjs-form-field-radio label')].find(l => l.textContent.trim() === text)
    ?.querySelector('input'), {}, label);
  const choice = await clickRedrawn(await findChoice(), findChoice);
  await tasklist.waitForFunction(input => input.checked, {}, choice);
  if (comment) await tasklist.type('.task-details .fjs-form textarea', comment);
  const findComplete = () => tasklist.waitForSelector('.task-details button[ng-click="complete()"]:not([disabled])');
  let complete = await findComplete();
  const layouts = [];
  for (const shot of screenshots) {
    await tasklist.setViewport({ width: shot.width, height: shot.height });
    await tasklist.$eval('.task-details .fjs-form h3', h3 => h3.scrollIntoView({ block: 'start' }));
    await tasklist.screenshot({ path: shot.path });
    // how far the widest part of the form (the risk table, the plan picture) reaches past the form's width
    const overflow = await tasklist.$eval('.task-details .fjs-form', form => Math.max(0, ...[...form.querySelectorAll('*')]
      .map(e => e.getBoundingClientRect().right - form.getBoundingClientRect().right)));
    if (!(await connected(complete))) complete = await findComplete();
    layouts.push({ width: shot.width, height: shot.height, overflow: Math.round(overflow), ...(await clickable(complete)) });
  }
  const attempts = await completeTask(tasklist, taskName, complete, findComplete);
  return { taskName, form, layouts, completed: true, attempts };
}

// Camunda's OptimisticLockingException: the engine refused the completion because another transaction changed the
// same instance at that moment, such as the gate's reminder timer firing as the person clicked (a non-interrupting
// boundary timer re-shapes the user task's execution)
const CONCURRENT_CHANGE = /updated by another transaction concurrently|OptimisticLocking/i;

/**
 * Clicks Complete until the task leaves the list. A completion the engine refused shows as Tasklist's error
 * notification; for a concurrent change a person clicks Complete again (twice more at most), any other refusal
 * fails the command with what Tasklist showed. Returns how many clicks it took.
 */
async function completeTask(tasklist, taskName, complete, findComplete) {
  for (let attempt = 1; ; attempt++) {
    await clickRedrawn(complete, findComplete);
    const outcome = await tasklist.waitForFunction(name => {
      const errors = [...document.querySelectorAll('.notifications .alert-error, .notifications .alert-danger')]
        .map(alert => alert.innerText.replace(/^\s*×\s*/, '').trim());
      if (errors.length) return { errors };
      const listed = [...document.querySelectorAll('ol.tasks-list li.task h4.task a')]
        .map(a => a.textContent.trim());
      return listed.includes(name) ? false : { completed: true };
    }, {}, taskName).then(handle => handle.jsonValue()).catch(async error => {
      const listed = await tasklist.$$eval('ol.tasks-list li.task h4.task a', as => as.map(a => a.textContent.trim()));
      throw new Error(`'${taskName}' stayed in Tasklist's list after Complete (the list: ${JSON.stringify(listed)}, `
        + `no error shown): ${error.message}`);
    });
    if (outcome.completed) return attempt;
    const refusal = `Tasklist refused to complete '${taskName}' (click ${attempt}): ${outcome.errors.join(' | ')}`;
    if (attempt >= 3 || !outcome.errors.every(text => CONCURRENT_CHANGE.test(text))) throw new Error(refusal);
    console.error(`${refusal}; clicking Complete again`);
    await tasklist.$$eval('.notifications .alert button.close', buttons => buttons.forEach(button => button.click()));
    complete = await findComplete();
  }
}

async function plan({ processInstanceId, screenshots = [] }) {
  const cockpit = page('cockpit');
  await cockpit.setViewport({ width: 1280, height: 800 });
  await open(cockpit, `${BASE}/camunda/app/cockpit/default/#/process-instance/${processInstanceId}/runtime`, '.navbar-brand');
  const tab = await cockpit.waitForFunction(() => [...document.querySelectorAll('.nav-tabs a, [role=tab]')]
    .find(a => a.textContent.trim() === 'Plan'));
  await tab.click();
  await cockpit.waitForSelector('svg.facteur-plan');
  const picture = await cockpit.$eval('svg.facteur-plan', svg => ({
    tasks: [...svg.querySelectorAll('g.task')].map(g => ({ task: g.dataset.task, state: g.dataset.state,
      text: [...g.querySelectorAll('text')].map(t => t.textContent).join(' | ') })),
    dependencies: [...svg.querySelectorAll('path.dependency')].map(p => ({ from: p.dataset.from, to: p.dataset.to })),
    text: [...svg.querySelectorAll('text')].map(t => t.textContent),
  }));
  for (const shot of screenshots) {
    await cockpit.setViewport({ width: shot.width, height: shot.height });
    await cockpit.$eval('svg.facteur-plan', svg => svg.scrollIntoView({ block: 'start' }));
    await cockpit.screenshot({ path: shot.path });
  }
  return { processInstanceId, picture };
}

const OPS = { login, gate, plan };
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let answer;
  try {
    const command = JSON.parse(line);
    if (!OPS[command.op]) throw new Error(`unknown op ${command.op}`);
    const started = Date.now();
    answer = { ok: true, ...(await OPS[command.op](command)) };
    console.error(`${command.op} ${command.app || command.taskName || command.processInstanceId || ''}: ${Date.now() - started} ms`);
  } catch (error) {
    answer = { ok: false, error: String(error && error.stack || error) };
    if (process.env.FAILURES) {
      for (const [app, open] of Object.entries(pages)) {
        await open.screenshot({ path: `${process.env.FAILURES}/failure-${app}.png` }).catch(() => {});
        await writeFile(`${process.env.FAILURES}/failure-${app}.html`, await open.content()).catch(() => {});
      }
    }
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
await browser.close();
