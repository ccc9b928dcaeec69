// Filled in by the crash-test step.
