// Tasklist loads every plugin's script; this one only serves the plan picture to the plan-approval form.
export default [];
