"""Opaque keys and per-learner display order for choices, items and matching sides.

The browser never sees a source index. Every choice (single, multiple), ordering item and
matching side is named by a key computed as

    HMAC-SHA256(secret, usage id ‖ learner id ‖ question id ‖ kind ‖ material)

and cut to 16 hex digits behind a one-letter prefix: ``k`` for a learner's keys (the HTML
view), ``b`` for the block's keys (``student_view_data()``, for the mobile apps), computed with
an empty learner id so that they depend on the block only. The same function, with the
purpose ``order`` instead of ``key``, gives the position at which it is shown: sorting by it
is a shuffle that is stable for one learner (or block) across reloads, different between
learners, and unpredictable without the secret.

``material`` is chosen so that nothing correctness-related feeds the computation:

* choices use their index: which choices are correct is a flag, not a position;
* ordering items and both matching sides use their normalised text, because their source
  position *is* the answer (items are listed in the correct order, pairs side by side).

So two quizzes that differ only in their answers give the same keys in the same order.
Pure Python; imports nothing from XBlock.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from .model import normalize_text

KEY_HEX_DIGITS = 16
LEARNER_PREFIX = "k"
BLOCK_PREFIX = "b"


def _frame(*parts: str) -> bytes:
    """Length-prefixed concatenation, so that no two different part lists give the same bytes."""
    out = bytearray()
    for part in parts:
        data = part.encode("utf-8")
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


class KeyScheme:
    """Keys and display order for one learner of one block.

    ``secret`` must stay on the server; ``usage_id`` and ``learner_id`` make the keys and the
    order differ between blocks and learners.
    """

    @classmethod
    def for_block(cls, secret: bytes, usage_id: str) -> KeyScheme:
        """The learner-independent scheme of ``student_view_data()``."""
        return cls(secret, usage_id, "", BLOCK_PREFIX)

    def __init__(self, secret: bytes, usage_id: str, learner_id: str, prefix: str = LEARNER_PREFIX) -> None:
        self._base = hmac.new(secret, _frame(usage_id, learner_id), hashlib.sha256)
        self.prefix = prefix

    def _digest(self, question_id: str, purpose: str, kind: str, material: str) -> str:
        mac = self._base.copy()
        mac.update(_frame(question_id, purpose, kind, material))
        return mac.hexdigest()

    def keys(self, question_id: str, kind: str, materials: Sequence[str]) -> list[str]:
        """One key per material, all different (a longer digest is used in the unlikely case of a clash)."""
        digests = [self._digest(question_id, "key", kind, m) for m in materials]
        short = [self.prefix + d[:KEY_HEX_DIGITS] for d in digests]
        if len(set(short)) == len(short):
            return short
        return [self.prefix + d for d in digests]

    def order(self, question_id: str, kind: str, materials: Sequence[str]) -> list[int]:
        """Indices of ``materials`` in the order this learner sees them."""
        ranks = [self._digest(question_id, "order", kind, m) for m in materials]
        return sorted(range(len(materials)), key=lambda i: (ranks[i], i))


def choice_materials(count: int) -> list[str]:
    return [str(i) for i in range(count)]


def text_materials(texts: Sequence[str]) -> list[str]:
    return [normalize_text(t) for t in texts]
