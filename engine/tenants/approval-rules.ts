/** The values of `TenantConfig.spec.requireApproval` (engine/plan/approval.ts says what each means); a module of its own so the flag parser loads nothing else. */
export const approvalRules = ['broadening', 'any-change', 'never'] as const;
export type ApprovalRule = (typeof approvalRules)[number];
