/**
 * How long panka keeps a compute component's logs: one number, read by the log-group provider
 * (which sets it) and by the cost estimate (which prices the stored logs). No AWS SDK here.
 */
export const defaultRetentionDays = 30;
