"""The acknowledgement's receipt is kept on the server for one showing, and not for long."""

from __future__ import annotations

from tests.factories import RECEIPT
from zonal.web.routes.portal_receipts import MemoryReceipts


def test_a_receipt_is_shown_once() -> None:
    receipts = MemoryReceipts()
    token = receipts.put(RECEIPT)
    assert receipts.take(token) == RECEIPT
    assert receipts.take(token) is None


def test_a_receipt_not_shown_in_time_is_forgotten() -> None:
    now = [0.0]
    receipts = MemoryReceipts(ttl_seconds=600, clock=lambda: now[0])
    late, on_time = receipts.put(RECEIPT), receipts.put(RECEIPT)
    now[0] = 599.0
    assert receipts.take(on_time) == RECEIPT
    now[0] = 601.0
    assert receipts.take(late) is None


def test_tokens_are_unguessable_and_unrelated_to_the_case() -> None:
    receipts = MemoryReceipts()
    tokens = {receipts.put(RECEIPT) for _ in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 43 for t in tokens)
    assert not any(RECEIPT.reference in t or RECEIPT.receipt_code in t for t in tokens)
    assert receipts.take("") is None and receipts.take("not-a-token") is None
