#!/usr/bin/env python3
"""scikit-learn's accuracy on the datasets DriftLearn is checked against, with the same preprocessing and split.

    python3 Tests/DriftLearnTests/Fixtures/sklearn_reference.py > Tests/DriftLearnTests/Fixtures/sklearn_reference.json

Split: row i (0-based, file order) is a test row when i % 5 == 4, else a training row (a fixed 80/20 split
that any language reproduces). Preprocessing: numeric columns SimpleImputer(median) + StandardScaler;
text columns SimpleImputer(most_frequent) + OneHotEncoder(handle_unknown="ignore"); "?" is missing.
Model: LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000, tol=1e-8).
"""
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATASETS = [
    ("adult", "data/adult.csv.gz", "income", []),
    ("sdss", "data/sdss17_star_classification_30k.csv.gz", "class",
     ["obj_ID", "run_ID", "rerun_ID", "field_ID", "spec_obj_ID", "fiber_ID"]),
]


def evaluate(path, target, dropped):
    frame = pd.read_csv(path, na_values=["?"], keep_default_na=True)
    labels = frame[target].astype(str)
    features = frame.drop(columns=[target] + dropped)
    numeric = [c for c in features.columns if pd.api.types.is_numeric_dtype(features[c])]
    text = [c for c in features.columns if c not in numeric]
    preprocess = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("text", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), text),
    ])
    model = Pipeline([("preprocess", preprocess), ("model", LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000, tol=1e-8))])
    test = np.arange(len(frame)) % 5 == 4
    model.fit(features[~test], labels[~test])
    predicted = model.predict(features[test])
    return {
        "rows_train": int((~test).sum()), "rows_test": int(test.sum()),
        "numeric": numeric, "categorical": text, "dropped": dropped, "target": target,
        "accuracy": accuracy_score(labels[test], predicted),
        "f1_macro": f1_score(labels[test], predicted, average="macro"),
    }


result = {"generated_by": "Tests/DriftLearnTests/Fixtures/sklearn_reference.py", "sklearn": sklearn.__version__,
          "split": "row i is a test row when i % 5 == 4", "datasets": {}}
for name, path, target, dropped in DATASETS:
    result["datasets"][name] = evaluate(path, target, dropped)
json.dump(result, sys.stdout, indent=2)
print()
