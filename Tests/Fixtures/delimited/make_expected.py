#!/usr/bin/env python3
"""Writes expected/<file>.json: how pandas.read_csv parses each file of the corpus (cases.json).

Every case is read with pandas.read_csv(path, dtype=str, keep_default_na=False, engine="c")
plus the case's options. A NaN (from na_values) is written as null. Where Python's csv module
reads a file differently, the case says so (`csv_module_differs`); pandas is the reference.

Usage: python make_expected.py   (from any folder; writes beside this script)
"""
import csv
import gzip
import io
import json
import math
import os
import sys

import pandas

HERE = os.path.dirname(os.path.abspath(__file__))


def pandas_parse(path, options):
    frame = pandas.read_csv(path, dtype=str, keep_default_na=False, engine="c", **options)
    rows = [[None if isinstance(value, float) and math.isnan(value) else value for value in row]
            for row in frame.itertuples(index=False, name=None)]
    return [str(name) for name in frame.columns], rows


def csv_module_parse(path, options):
    """The same file through Python's csv module, with the options it shares with pandas."""
    opener = gzip.open if options.get("compression") == "gzip" else open
    encoding = options.get("encoding", "utf-8")
    with opener(path, "rt", encoding=encoding, newline="") as handle:
        text = handle.read()
    kwargs = {"delimiter": options.get("sep", ","), "quotechar": options.get("quotechar", '"'),
              "skipinitialspace": options.get("skipinitialspace", False)}
    if options.get("quoting") == 3:
        kwargs["quoting"] = csv.QUOTE_NONE
    records = list(csv.reader(io.StringIO(text), **kwargs))
    if options.get("header", 0) is None:
        return list(options["names"]), records
    return records[0], records[1:]


def main():
    with open(os.path.join(HERE, "cases.json")) as handle:
        cases = json.load(handle)
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    for case in cases:
        path = os.path.join(HERE, "corpus", case["file"])
        columns, rows = pandas_parse(path, case["options"])
        try:
            csv_columns, csv_rows = csv_module_parse(path, case["options"])
            differs = (csv_columns, csv_rows) != (columns, rows)
        except Exception:  # the csv module cannot read it at all
            differs = True
        expected = {"file": case["file"], "pandas": pandas.__version__, "columns": columns, "rows": rows,
                    "csv_module_differs": differs}
        with open(os.path.join(HERE, "expected", case["file"] + ".json"), "w", encoding="utf-8") as handle:
            json.dump(expected, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        print(f"{case['file']}: {len(rows)} rows{' (csv module differs)' if differs else ''}", file=sys.stderr)


if __name__ == "__main__":
    main()
