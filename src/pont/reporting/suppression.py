"""Small-cell suppression of a one-way table: pure, no Django.

Primary: a cell below the threshold (default 5, zero excepted: "nobody" discloses nobody) is hidden.
Secondary: with the total shown, the hidden cells' sum is known; so more cells are hidden, smallest first,
until at least two are hidden and their sum reaches the threshold — then no hidden cell can be worked out
by subtracting the visible ones from the total, nor pinned down from their known sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    key: str
    value: int
    hidden: bool

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value


def suppress(values: Sequence[tuple[str, int]], threshold: int = THRESHOLD) -> list[Cell]:
    """Return the cells of a one-way table with the small ones (and those that would give them away) hidden."""
    hidden = {k for k, v in values if 0 < v < threshold}
    if hidden:
        visible = sorted(((v, k) for k, v in values if k not in hidden and v > 0))
        def enough() -> bool:
            total = sum(v for k, v in values if k in hidden)
            return len(hidden) >= 2 and total >= threshold
        while not enough() and visible:
            hidden.add(visible.pop(0)[1])
    return [Cell(k, v, k in hidden) for k, v in values]


def suppress_total(total: int, threshold: int = THRESHOLD) -> int | None:
    """A total on its own: hidden when small (None), like any cell."""
    return None if 0 < total < threshold else total
