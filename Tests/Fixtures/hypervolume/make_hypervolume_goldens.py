"""Writes hypervolume_goldens.json: point sets with the hypervolume pymoo's indicator gives them.

Seeded random point sets in 2 and 3 objectives (some points outside the reference, some
duplicates, some dominated), all minimised. Run with pymoo installed:
    python make_hypervolume_goldens.py > hypervolume_goldens.json
"""
import json

import numpy as np
import pymoo
from pymoo.indicators.hv import HV

cases = []
for seed, (count, dimensions) in enumerate([(5, 2), (40, 2), (200, 2), (8, 3), (60, 3)], start=1):
    rng = np.random.default_rng(seed)
    points = rng.uniform(0.0, 1.2, size=(count, dimensions))
    points[count // 2] = points[0]  # a duplicate
    reference = np.full(dimensions, 1.1)
    inside = points[(points < reference).all(axis=1)]
    volume = float(HV(ref_point=reference)(inside)) if len(inside) else 0.0
    cases.append({"seed": seed, "points": points.tolist(), "reference": reference.tolist(), "hypervolume": volume})
print(json.dumps({"tool": f"pymoo {pymoo.__version__}", "numpy": np.__version__, "cases": cases}, indent=1))
