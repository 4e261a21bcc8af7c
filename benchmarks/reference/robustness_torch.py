"""FGSM and PGD-10 (L-infinity, eps = 0.05) with PyTorch over Adult's test split, on an MLP
[64, 64] trained for two epochs, perturbing the same columns Kiln does (standardised numerics
that are not sensitive). Prints one JSON line per attack, seconds per 10,000 rows (best of 3).
Needs datasets/adult/adult.h5 (kiln dataset import datasets/adult/dataset.yaml), torch, h5py.
"""
import json
import sys
import time

import h5py
import numpy as np
import torch

from torch_optim import adam


def load(path):
    with h5py.File(path, "r") as f:
        features = f["features"][:]
        labels = f["label"][:].astype(np.float32)
        splits = {name: f["splits"][name][:] for name in f["splits"]}
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["features"].attrs["feature_names"]]
        sensitive = [str(k) for k in f["sensitive"].keys()]
    return features, labels, splits, names, sensitive


def mask_for(names, sensitive):
    # Standardised numerics are the columns without "=" (one-hot columns are NAME=VALUE).
    return np.array([0.0 if ("=" in n or n in sensitive) else 1.0 for n in names], dtype=np.float32)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(7)
    path = "datasets/adult/adult.h5"
    try:
        features, labels, splits, names, sensitive = load(path)
    except OSError:
        print("# %s is missing" % path, file=sys.stderr)
        return
    train, test = splits["train"], splits["test"]
    x_train, y_train = torch.tensor(features[train]), torch.tensor(labels[train]).unsqueeze(1)
    x_test, y_test = torch.tensor(features[test]), torch.tensor(labels[test]).unsqueeze(1)
    model = torch.nn.Sequential(torch.nn.Linear(x_train.shape[1], 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 1))
    optimizer = adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
    for _ in range(2):
        order = torch.randperm(len(x_train))
        for start in range(0, len(order), 256):
            rows = order[start:start + 256]
            optimizer.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(model(x_train[rows]), y_train[rows]).backward()
            optimizer.step()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    mask = torch.tensor(mask_for(names, sensitive))
    eps = 0.05

    def gradient(x, y):
        x = x.clone().requires_grad_(True)
        loss_fn(model(x), y).backward()
        return x.grad

    def attack(steps):
        out = []
        for start in range(0, len(x_test), 2048):
            x, y = x_test[start:start + 2048], y_test[start:start + 2048]
            if steps == 0:
                out.append(x + eps * torch.sign(gradient(x, y)) * mask)
                continue
            adv = x + eps * (2 * torch.rand_like(x) - 1) * mask
            for _ in range(steps):
                adv = adv + (eps / 4) * torch.sign(gradient(adv, y)) * mask
                adv = torch.max(torch.min(adv, x + eps), x - eps)
            out.append(adv)
        return torch.cat(out)

    for name, steps in [("fgsm_adult_test_per_10k_rows", 0), ("pgd10_adult_test_per_10k_rows", 10)]:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            adversarial = attack(steps)
            best = min(best, time.perf_counter() - start)
        accuracy = float(((model(adversarial) >= 0).float() == y_test).float().mean())
        print(json.dumps({"name": name, "framework": "pytorch", "value": best * 10000 / len(x_test), "units": "s",
                          "threads": 1, "lower_is_better": True, "adversarial_accuracy": accuracy}))


if __name__ == "__main__":
    main()
