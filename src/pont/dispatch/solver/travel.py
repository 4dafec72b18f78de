"""Travel between places: great-circle distance × road factor at an average speed, or a supplied matrix."""

from __future__ import annotations

import math
from collections.abc import Mapping

Place = tuple[float, float]
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(a: Place, b: Place) -> float:
    """Return the haversine distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class GreatCircle:
    """Road distance estimated as great-circle × ``road_factor``, driven at ``speed_kmh``.

    Minutes are rounded up, so the times obey the triangle inequality up to that rounding
    (ceil(a) + ceil(b) >= ceil(a + b)); the scalable model relies on it.
    """

    def __init__(self, road_factor: float = 1.3, speed_kmh: float = 50.0):
        self.road_factor = road_factor
        self.speed_kmh = speed_kmh
        self._cache: dict[tuple[Place, Place], tuple[int, float]] = {}

    def _get(self, a: Place, b: Place) -> tuple[int, float]:
        key = (a, b) if a <= b else (b, a)
        hit = self._cache.get(key)
        if hit is None:
            km = great_circle_km(a, b) * self.road_factor
            hit = (math.ceil(km / self.speed_kmh * 60 - 1e-9), km)
            self._cache[key] = hit
        return hit

    def minutes(self, a: Place, b: Place) -> int:
        return 0 if a == b else self._get(a, b)[0]

    def km(self, a: Place, b: Place) -> float:
        return 0.0 if a == b else self._get(a, b)[1]


class Matrix:
    """Supplied travel times (minutes) and distances (km) between known places.

    The times must be shortest-path times (obey the triangle inequality), as any router's are.
    """

    def __init__(self, minutes: Mapping[tuple[Place, Place], int], km: Mapping[tuple[Place, Place], float]):
        self._minutes = dict(minutes)
        self._km = dict(km)

    def minutes(self, a: Place, b: Place) -> int:
        return 0 if a == b else int(self._minutes[(a, b)])

    def km(self, a: Place, b: Place) -> float:
        return 0.0 if a == b else float(self._km[(a, b)])


DEFAULT = GreatCircle()


def travel_of(instance) -> GreatCircle | Matrix:
    """Return the instance's travel model, defaulting to GreatCircle()."""
    return instance.travel if instance.travel is not None else DEFAULT
