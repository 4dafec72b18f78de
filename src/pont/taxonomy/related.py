"""Which skills are related, from ESCO's hierarchy (broaderRelationsSkillPillar): pure, no Django.

Two skills are related when one is the other's broader skill, or when both sit under the same broader
concept (a skill group such as "welding", or a broader skill) that holds at most `max_siblings` skills —
the top of the hierarchy ("skills", "knowledge") relates nothing. Matching gives a related skill partial
credit and says so ("has MIG/MAG welding, the vacancy asks TIG welding: related").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

MAX_SIBLINGS = 40


def related_matrix(broader: Iterable[tuple[int, Hashable]], column_of: Mapping[Any, int], width: int,
                   max_siblings: int = MAX_SIBLINGS) -> sp.csr_matrix:
    """Return the symmetric width × width 0/1 matrix of related skill columns (zero diagonal).

    `broader`: (skill column, key of a broader concept); `column_of`: the key → column of concepts that are
    skills themselves (a broader skill is related to its narrower ones).
    """
    narrower: dict[Hashable, list[int]] = defaultdict(list)
    for column, key in broader:
        narrower[key].append(column)
    rows: list[int] = []
    cols: list[int] = []
    for key, members in narrower.items():
        members = sorted(set(members))
        parent = column_of.get(key)
        if parent is not None:
            rows += members
            cols += [parent] * len(members)
        if 1 < len(members) <= max_siblings:
            grid = np.array(members)
            rows += np.repeat(grid, len(grid)).tolist()
            cols += np.tile(grid, len(grid)).tolist()
    keep = [(r, c) for r, c in zip(rows, cols, strict=True) if r != c and r < width and c < width]
    matrix = sp.csr_matrix((np.ones(len(keep), dtype=np.float32), ([r for r, _ in keep], [c for _, c in keep])),
                           shape=(width, width))
    return ((matrix + matrix.T) > 0).astype(np.float32).tocsr()
