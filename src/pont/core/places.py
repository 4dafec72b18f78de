"""Loading the region's NUTS regions and municipalities from the CSV files shipped in core/data."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def load_places(region_model, municipality_model) -> tuple[int, int]:
    """Create or update regions and municipalities (idempotent); return how many of each."""
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as fh:
        regions = {}
        for row in csv.DictReader(fh):
            region, _ = region_model.objects.update_or_create(
                code=row["code"],
                defaults={"country": row["country"], "name": row["name_en"], "name_en": row["name_en"],
                          "name_fr": row["name_fr"], "name_nl": row["name_nl"]},
            )
            regions[row["code"]] = region
    count = 0
    with (DATA_DIR / "municipalities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            municipality_model.objects.update_or_create(
                name=row["name"], postcode=row["postcode"],
                defaults={"region": regions[row["region"]], "latitude": Decimal(row["latitude"]),
                          "longitude": Decimal(row["longitude"])},
            )
            count += 1
    return len(regions), count
