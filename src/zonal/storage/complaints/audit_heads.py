"""The audit chain's exported heads: signed JSON lines appended to a file outside the store.

Each line is `{"entry", "at", "hash", "hmac"}`: the log's last entry when it was exported, the
time, that entry's chain hash, and an HMAC of the three under the audit key. Whoever can
rewrite the database cannot rewrite the line without the key, so a cut tail or a recomputed
history shows against it (audit.AuditChain.verify). Lines are only appended; a line that does
not parse or whose HMAC fails is read back as not authentic, and verification reports it.
"""

from __future__ import annotations

import hmac
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from zonal.complaints.domain.audit import ChainHead, ExportedHead
from zonal.storage.complaints.audit import AuditChain

_UNREADABLE_AT = datetime(1970, 1, 1, tzinfo=UTC)


class AuditHeadFile:
    """Heads in the JSON-lines file `path` (settings.resolved_audit_head_file)."""

    def __init__(self, path: Path, chain: AuditChain) -> None:
        self.path, self.chain = path, chain

    def read(self) -> list[ExportedHead]:
        """Every exported head, in the order written; none when the file does not exist."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [self._parse(text, number) for number, text in enumerate(lines, 1) if text.strip()]

    def export(self, head: ChainHead, at: datetime) -> ExportedHead:
        """Append `head`, signed, and flush it to the disk before answering."""
        at = at.astimezone(UTC)
        line = {"entry": head.entry, "at": at.isoformat(), "hash": head.hash}
        line["hmac"] = self.chain.sign_head(head, at)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())
        return ExportedHead(head, at, authentic=True, line=self._count())

    def _count(self) -> int:
        return sum(1 for text in self.path.read_text(encoding="utf-8").splitlines() if text.strip())

    def _parse(self, text: str, number: int) -> ExportedHead:
        try:
            line: dict[str, Any] = json.loads(text)
            head = ChainHead(int(line["entry"]), str(line["hash"]))
            at = datetime.fromisoformat(str(line["at"]))
            signed = str(line["hmac"])
        except (ValueError, KeyError, TypeError):
            return ExportedHead(ChainHead(0, ""), _UNREADABLE_AT, authentic=False, line=number)
        authentic = at.tzinfo is not None and hmac.compare_digest(
            signed, self.chain.sign_head(head, at)
        )
        return ExportedHead(head, at, authentic=authentic, line=number)
