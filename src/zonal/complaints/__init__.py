"""Online complaints: the pure core. Its use cases are in `zonal.services.complaints`, its
storage adapters in `zonal.storage.complaints`.

domain/        model, workflow, routing, identifiers, receipt, staff, errors, audit
schemas        ComplaintCreate and the other inputs (Pydantic, format rules)
views          ComplaintPublic, CaseStaffView and the other outputs
policy         SLA, retention, lockouts, routing and the zone registry the use cases apply
queries        what the use cases ask of the repositories (queue filters, audit queries)
advice         prevention advice per offence type; acknowledgement: the citizen's PDF
"""
