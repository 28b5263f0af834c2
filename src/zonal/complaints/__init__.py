"""Online complaints: the domain (pure), its storage adapters and the service layer.

domain/        model, workflow, routing, identifiers, receipt, staff, errors, audit
schemas        ComplaintCreate and the other inputs (Pydantic, format rules)
views          ComplaintPublic, CaseStaffView and the other outputs
services       the API for the portal, the back office and the CLI (see its docstring)
adapters/      tables, crypto (AES-GCM at rest), audit (hash chain), repositories, UoW
"""
