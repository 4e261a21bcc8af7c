"""PyTorch eager reference for Kiln's end-to-end training benchmark on Adult.

Reads the same Kiln dataset file (datasets/adult/adult.h5, made by `kiln dataset import`) with
h5py and trains the same model as experiments/adult-mlp.yaml with its schedule, early stopping
and clipping switched off: 112 -> 64 -> 64 -> 1 (ReLU, dropout 0.1), Adam (lr 1e-3, weight
decay 1e-5), batch 256, 10 epochs, shuffled each epoch, validation loss and ROC AUC each epoch.
Prints {"name": "train_adult_e2e", "framework": "pytorch_eager", "threads", "value": samples/s,
"units", "seconds", "test_accuracy"}.
"""
import argparse
import json
import time

import h5py
import numpy as np
import torch

from torch_optim import adam


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="datasets/adult/adult.h5")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    with h5py.File(args.dataset, "r") as f:
        features = torch.from_numpy(f["features"][...])
        labels = torch.from_numpy(f["label"][...].astype(np.float32)).unsqueeze(1)
        train = torch.from_numpy(f["splits/train"][...].astype(np.int64))
        validation = torch.from_numpy(f["splits/validation"][...].astype(np.int64))
        test = torch.from_numpy(f["splits/test"][...].astype(np.int64))
    d = features.shape[1]
    model = torch.nn.Sequential(torch.nn.Linear(d, 64), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                                torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                                torch.nn.Linear(64, 1))
    optimizer = adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = train[torch.randperm(len(train))]
        for i in range(0, len(order), 256):
            rows = order[i:i + 256]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(features[rows]), labels[rows])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            loss_fn(model(features[validation]), labels[validation]).item()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        predictions = (model(features[test]) > 0).float()
    accuracy = (predictions == labels[test]).float().mean().item()
    print(json.dumps({"name": "train_adult_e2e", "framework": "pytorch_eager", "threads": args.threads,
                      "value": len(train) * args.epochs / seconds, "units": "samples/s",
                      "seconds": seconds, "test_accuracy": accuracy}), flush=True)


if __name__ == "__main__":
    main()
