// Cockpit "Plan" tab (Camunda 7.14+ plugin API): the idea's task DAG, runs, cost, policy decisions and audit verdict.
// The SVG comes from this engine's plugin resource; every text in it is escaped on the server.
const message = (node, text) => {
  const p = document.createElement('p');
  p.className = 'facteur-plan-message';
  p.textContent = text;
  node.replaceChildren(p);
};

export default {
  id: 'facteur-plan',
  pluginPoint: 'cockpit.processInstance.runtime.tab',
  priority: 20,
  label: 'Plan',
  render: (node, { api, processInstanceId }) => {
    message(node, 'Loading the plan…');
    const url = `${api.cockpitApi}/plugin/facteur-plan/${api.engine}/process-instance/${processInstanceId}/plan.svg`;
    fetch(url, { headers: { Accept: 'image/svg+xml', 'X-XSRF-TOKEN': api.CSRFToken }, credentials: 'same-origin' })
      .then((response) => {
        if (response.status === 404) {
          throw new Error('No plan here: this is not an idea-lifecycle instance.');
        }
        if (!response.ok) {
          throw new Error(`The plan could not be loaded (HTTP ${response.status}).`);
        }
        return response.text();
      })
      .then((svg) => {
        const picture = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
        const frame = document.createElement('div');
        frame.className = 'facteur-plan';
        frame.appendChild(document.importNode(picture, true));
        node.replaceChildren(frame);
      })
      .catch((error) => message(node, error.message));
  },
};
