"""Reference baselines for Kiln's multiclass and regression anchors on Adult.

Reads the Kiln dataset files made by `kiln dataset import` (datasets/adult-occupation/
adult-occupation.h5 and datasets/adult-hours/adult-hours.h5) with h5py, so every model sees the
same encoded features and splits as Kiln, and prints one JSON line per model with its test-split
figures:
- a trivial predictor (majority class / train mean), for scale;
- scikit-learn's linear model (multinomial LogisticRegression / Ridge);
- a PyTorch MLP configured like the shipped experiments (experiments/adult-occupation-mlp.yaml,
  experiments/adult-hours-mlp.yaml): D -> 64 -> 64 -> K or 1, ReLU, dropout 0.1, Adam (lr 1e-3),
  batch 256, the same epochs; the checkpoint with the best validation figure (accuracy, or RMSE)
  is scored, as Kiln's selection metric picks its best checkpoint. Regression trains on targets
  standardised with the train mean and standard deviation, as Kiln does.

Needs: h5py, numpy, scikit-learn, torch (all in benchmarks/reference/requirements.txt).
Run:   benchmarks/reference/.venv/bin/python benchmarks/reference/label_kinds_baseline.py
"""
import argparse
import copy
import json

import h5py
import numpy as np
import torch
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, mean_absolute_error, mean_squared_error, r2_score


def load(path):
    with h5py.File(path, "r") as f:
        x = f["features"][...]
        y = f["label"][...]
        kind = f["label"].attrs.get("kind", "binary")
        kind = kind.decode() if isinstance(kind, bytes) else str(kind)
        splits = {name: f["splits/" + name][...].astype(np.int64) for name in ("train", "validation", "test")}
    return x, y, kind, splits


def classification_figures(y_true, y_pred):
    return {"accuracy": accuracy_score(y_true, y_pred), "macro_f1": f1_score(y_true, y_pred, average="macro")}


def regression_figures(y_true, y_pred):
    return {"rmse": mean_squared_error(y_true, y_pred) ** 0.5, "mae": mean_absolute_error(y_true, y_pred),
            "r2": r2_score(y_true, y_pred)}


def mlp(inputs, outputs):
    return torch.nn.Sequential(torch.nn.Linear(inputs, 64), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                               torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                               torch.nn.Linear(64, outputs))


def train_torch(x, y, splits, classes, epochs, seed):
    """Returns test predictions (classes, or raw-unit targets) of the best-validation epoch."""
    torch.manual_seed(seed)
    features = torch.from_numpy(x)
    train, validation, test = (torch.from_numpy(splits[s]) for s in ("train", "validation", "test"))
    if classes:
        targets = torch.from_numpy(y.astype(np.int64))
        loss_fn = torch.nn.CrossEntropyLoss()
        mean, scale = 0.0, 1.0
    else:
        mean, scale = float(y[splits["train"]].mean()), float(y[splits["train"]].std())
        targets = torch.from_numpy(((y - mean) / scale).astype(np.float32)).unsqueeze(1)
        loss_fn = torch.nn.MSELoss()
    model = mlp(x.shape[1], classes or 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def predict(rows):
        model.eval()
        with torch.no_grad():
            out = model(features[rows])
        return out.argmax(1).numpy() if classes else out.squeeze(1).numpy() * scale + mean

    best, best_state = None, None
    for _ in range(epochs):
        model.train()
        order = train[torch.randperm(len(train))]
        for i in range(0, len(order), 256):
            rows = order[i:i + 256]
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(features[rows]), targets[rows]).backward()
            optimizer.step()
        predicted = predict(validation)
        if classes:
            score = accuracy_score(y[splits["validation"]], predicted)
        else:
            score = -mean_squared_error(y[splits["validation"]], predicted) ** 0.5
        if best is None or score > best:
            best, best_state = score, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    return predict(test)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--occupation", default="datasets/adult-occupation/adult-occupation.h5")
    parser.add_argument("--hours", default="datasets/adult-hours/adult-hours.h5")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    x, y, kind, splits = load(args.occupation)
    assert kind == "multiclass", kind
    train, test = splits["train"], splits["test"]
    classes = int(y.max()) + 1
    majority = np.bincount(y[train], minlength=classes).argmax()
    rows = [("majority_class", np.full(len(test), majority)),
            ("sklearn_logistic_regression", LogisticRegression(max_iter=1000).fit(x[train], y[train]).predict(x[test])),
            ("torch_mlp", train_torch(x, y, splits, classes, args.epochs, args.seed))]
    for name, predicted in rows:
        print(json.dumps({"name": "adult_occupation", "model": name, **classification_figures(y[test], predicted)}))

    x, y, kind, splits = load(args.hours)
    assert kind == "regression", kind
    train, test = splits["train"], splits["test"]
    rows = [("train_mean", np.full(len(test), y[train].mean())),
            ("sklearn_ridge", Ridge(alpha=1.0).fit(x[train], y[train]).predict(x[test])),
            ("torch_mlp", train_torch(x, y, splits, 0, args.epochs, args.seed))]
    for name, predicted in rows:
        print(json.dumps({"name": "adult_hours", "model": name, **regression_figures(y[test], predicted)}))


if __name__ == "__main__":
    main()
