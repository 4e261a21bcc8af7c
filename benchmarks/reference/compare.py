"""Sets Kiln's benchmark figures beside the reference frameworks' figures.

Input: Kiln's JSON lines (each {"name", "kiln", "reference"?, "ratio"?, "units", ...}) and the
reference scripts' JSON lines (each {"name", "framework", "value", "units", "threads"?, ...}).
Output: Kiln's lines unchanged, then one line per reference figure (lines without "framework"
and "value" are passed through unchanged, and a pair in different units gets no ratio):
{"name": "<name>_vs_<framework>", "kiln", "reference", "ratio", "units", "threads"?}, where
"kiln" is Kiln's figure for the same name (and thread count, when both give one).
A reference line may carry "kiln_name" to pair with a differently named Kiln figure, and
"lower_is_better": true when the ratio should be reference / kiln (times, memory).
Standard library only, so it runs without the reference environment.
"""
import json
import sys


def read(path):
    rows = []
    try:
        with open(path) as handle:
            for line in handle:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    except FileNotFoundError:
        pass
    return rows


def main():
    kiln_rows = read(sys.argv[1])
    reference_rows = read(sys.argv[2])
    for row in kiln_rows:
        print(json.dumps(row))
    for reference in reference_rows:
        if "framework" not in reference or "value" not in reference:
            # Not a figure to pair (e.g. the label-kind accuracy baselines): shown as it is.
            print(json.dumps(reference))
            continue
        name = reference.get("kiln_name", reference["name"])
        threads = reference.get("threads")
        matches = [r for r in kiln_rows if r.get("name") == name
                   and (threads is None or r.get("threads") in (None, threads))]
        out = {"name": "%s_vs_%s" % (reference["name"], reference["framework"]),
               "reference": reference["value"], "units": reference.get("units")}
        if threads is not None:
            out["threads"] = threads
        if matches:
            kiln = matches[0]["kiln"]
            out["kiln"] = kiln
            if matches[0].get("units") != reference.get("units"):
                out["note"] = "units differ (%s vs %s): no ratio" % (matches[0].get("units"), reference.get("units"))
            elif reference["value"] and kiln:
                lower = reference.get("lower_is_better", False)
                out["ratio"] = (reference["value"] / kiln) if lower else (kiln / reference["value"])
        print(json.dumps(out))


if __name__ == "__main__":
    main()
