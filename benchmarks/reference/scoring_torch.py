"""Upper bound for Kiln's scoring benchmark (scoring_model_only_1m): PyTorch inference of the same MLP
(104 -> 64 -> 64 -> 1, ReLU, sigmoid) on 1,000,000 pre-encoded rows in batches of 8192, one
thread. Kiln's figure includes reading, checking and encoding raw CSV and writing scores; this one
is the model alone, an upper bound; the complete Python path is scoring_pandas_torch.py. Prints one JSON line (rows/s)."""
import json
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(7)
rows, width, batch = 1_000_000, 104, 8192
model = torch.nn.Sequential(torch.nn.Linear(width, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(),
                            torch.nn.Linear(64, 1)).eval()
features = torch.randn(rows, width)
best = float("inf")
with torch.inference_mode():
    for _ in range(3):
        start = time.perf_counter()
        for offset in range(0, rows, batch):
            torch.sigmoid(model(features[offset:offset + batch]))
        best = min(best, time.perf_counter() - start)
print(json.dumps({"name": "scoring_model_only_1m", "framework": "pytorch", "value": rows / best, "units": "rows/s", "threads": 1}))
