# Claim, evidence, disputes and AuditEvent arrive with the claims issue (see DESIGN.md).
