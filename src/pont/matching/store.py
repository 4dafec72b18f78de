"""The engine's snapshot as files every process maps into memory: one copy in the page cache, not one per worker.

A snapshot is a folder `VAR_DIR/matching-snapshots/<key>/` holding one `.npy` file per array of the matcher
(sparse matrices as their three arrays) and `meta.json` (the scalars, and how to put the arrays back
together). `load` maps the arrays read-only (`np.load(mmap_mode="r")`) and rebuilds the matcher around them
without computing anything, so a gunicorn worker takes in a snapshot of 100,000 people × 50,000 vacancies in
milliseconds and N workers share its pages. The task worker writes new folders (`tasks.build_snapshot`); a
folder appears whole or not at all (written aside, then renamed). Pure file handling: no Django here but the
paths the caller gives.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from pont.matching import engine

META = "meta.json"
_DATACLASSES = {cls.__name__: cls for cls in (engine.People, engine.Vacancies, engine.Locations)}


def save(state: dict[str, Any], folder: Path) -> Path:
    """Write `state` (names → arrays, sparse matrices, matchers, dataclasses, scalars, lists) as `folder`,
    atomically: an existing folder is left as it is (another process wrote the same snapshot first)."""
    folder = Path(folder)
    if folder.exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        counter = iter(range(1 << 30))
        spec = {name: _encode(value, work, counter) for name, value in state.items()}
        (work / META).write_text(json.dumps(spec), encoding="utf-8")
        try:
            os.rename(work, folder)
        except OSError:  # written meanwhile by another process: theirs stands
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder


def load(folder: Path) -> dict[str, Any]:
    """Return the state written by `save`, its arrays mapped read-only from the files."""
    folder = Path(folder)
    spec = json.loads((folder / META).read_text(encoding="utf-8"))
    return {name: _decode(value, folder) for name, value in spec.items()}


def exists(folder: Path) -> bool:
    return (Path(folder) / META).is_file()


def prune(parent: Path, keep: int = 3) -> None:
    """Remove all but the `keep` newest snapshot folders (a process still mapping one keeps its pages)."""
    parent = Path(parent)
    if not parent.is_dir():
        return
    folders = sorted((p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)


# ------------------------------------------------------------------------------------------ encoding

def _array(value: np.ndarray, work: Path, counter) -> dict[str, Any]:
    name = f"a{next(counter)}.npy"
    np.save(work / name, np.ascontiguousarray(value), allow_pickle=False)
    return {"array": name}


def _encode(value: Any, work: Path, counter) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise TypeError("object arrays cannot be mapped")
        return _array(value, work, counter)
    if sp.issparse(value):
        csr = value.tocsr()
        return {"csr": [_array(csr.data, work, counter), _array(csr.indices, work, counter),
                        _array(csr.indptr, work, counter)], "shape": list(csr.shape)}
    if isinstance(value, engine.Weights):
        return {"weights": dataclasses.asdict(value)}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _DATACLASSES:
        return {"dataclass": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name), work, counter)
                           for f in dataclasses.fields(value)}}
    if isinstance(value, engine.Matcher | engine._SparseLookup):
        return {"object": type(value).__name__,
                "attributes": {k: _encode(v, work, counter) for k, v in vars(value).items()}}
    if isinstance(value, np.generic):
        return {"scalar": value.item(), "dtype": value.dtype.str}
    if isinstance(value, dict):
        return {"dict": [[_encode(k, work, counter), _encode(v, work, counter)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, work, counter) for v in value]}
    if isinstance(value, list):
        return {"list": [_encode(v, work, counter) for v in value]}
    if value is None or isinstance(value, bool | int | float | str):
        return {"value": value}
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(spec: Any, folder: Path) -> Any:
    if "array" in spec:
        return np.load(folder / spec["array"], mmap_mode="r", allow_pickle=False)
    if "csr" in spec:
        data, indices, indptr = (_decode(part, folder) for part in spec["csr"])
        matrix = sp.csr_matrix(tuple(spec["shape"]), dtype=data.dtype)
        # Set, not passed to the constructor: it would copy (or narrow) the mapped index arrays.
        matrix.data, matrix.indices, matrix.indptr = data, indices, indptr
        matrix.has_sorted_indices = True  # written canonical (engine._clean), never sorted again in place
        return matrix
    if "weights" in spec:
        return engine.Weights(**spec["weights"])
    if "dataclass" in spec:
        return _DATACLASSES[spec["dataclass"]](**{k: _decode(v, folder) for k, v in spec["fields"].items()})
    if "object" in spec:
        cls = engine.Matcher if spec["object"] == "Matcher" else engine._SparseLookup
        obj = object.__new__(cls)
        obj.__dict__.update({k: _decode(v, folder) for k, v in spec["attributes"].items()})
        return obj
    if "scalar" in spec:
        return np.dtype(spec["dtype"]).type(spec["scalar"])
    if "dict" in spec:
        return {_hashable(_decode(k, folder)): _decode(v, folder) for k, v in spec["dict"]}
    if "tuple" in spec:
        return tuple(_decode(v, folder) for v in spec["tuple"])
    if "list" in spec:
        return [_decode(v, folder) for v in spec["list"]]
    return spec["value"]


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key
