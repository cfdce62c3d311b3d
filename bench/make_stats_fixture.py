#!/usr/bin/env python3
"""Writes Tests/StatsKitTests/Fixtures/scipy_reference.json: SciPy outputs used as an
independent oracle for StatsKit's distributions and tests. Run once; the JSON is committed."""
import json, os, sys
import numpy as np
from scipy import stats

out = {"scipy": __import__("scipy").__version__, "numpy": np.__version__}
ps = [1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-9]
xs = [-30, -8, -3, -1.5, -0.2, 0, 0.4, 1, 2.5, 6, 12, 40]
out["normal"] = {"x": xs, "cdf": [stats.norm.cdf(x) for x in xs], "sf": [stats.norm.sf(x) for x in xs],
                 "p": ps, "ppf": [stats.norm.ppf(p) for p in ps]}
out["t"] = []
for df in [1, 2.5, 5, 30, 1000, 95401.04]:
    out["t"].append({"df": df, "x": xs, "cdf": [stats.t.cdf(x, df) for x in xs], "sf": [stats.t.sf(x, df) for x in xs],
                     "p": ps, "ppf": [stats.t.ppf(p, df) for p in ps]})
cx = [0.001, 0.1, 0.5, 1, 2, 5, 10, 30, 80, 200]
out["chi2"] = []
for df in [1, 2, 5.5, 50]:
    out["chi2"].append({"df": df, "x": cx, "cdf": [stats.chi2.cdf(x, df) for x in cx], "sf": [stats.chi2.sf(x, df) for x in cx],
                        "p": ps, "ppf": [stats.chi2.ppf(p, df) for p in ps]})
bx = [1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6]
out["beta"] = []
for a, b in [(0.5, 0.5), (2, 3), (10, 1.5), (100, 200), (0.2, 7)]:
    out["beta"].append({"a": a, "b": b, "x": bx, "cdf": [stats.beta.cdf(x, a, b) for x in bx],
                        "p": ps, "ppf": [stats.beta.ppf(p, a, b) for p in ps]})
rng = np.random.default_rng(7)
mwu = []
samples = [
    (list(rng.normal(0, 1, 6).round(6)), list(rng.normal(0.8, 1, 7).round(6))),       # exact
    (list(rng.normal(0, 1, 5).round(6)), list(rng.normal(0, 1, 30).round(6))),        # exact (n1<=8)
    (list(rng.integers(0, 5, 40).astype(float)), list(rng.integers(1, 6, 35).astype(float))),  # ties, asymptotic
    (list(rng.normal(0, 1, 60).round(6)), list(rng.normal(0.3, 1.5, 45).round(6))),   # asymptotic
]
for x, y in samples:
    for alt in ["two-sided", "greater", "less"]:
        r = stats.mannwhitneyu(x, y, alternative=alt)
        mwu.append({"x": x, "y": y, "alternative": alt, "u": float(r.statistic), "p_value": float(r.pvalue)})
out["mannwhitneyu"] = mwu
tables = [[[20, 30], [25, 15]], [[10, 20, 30], [15, 15, 25], [5, 30, 20]], [[3, 7], [9, 2]]]
out["chi2_contingency"] = []
for t in tables:
    for corr in [False, True]:
        c = stats.chi2_contingency(t, correction=corr)
        out["chi2_contingency"].append({"table": t, "correction": corr, "chi2": float(c.statistic),
                                        "p_value": float(c.pvalue), "df": int(c.dof)})
gof = [([5040, 4960], [1, 1]), ([9120, 880], [9, 1]), ([480, 260, 260], [2, 1, 1])]
out["chisquare"] = []
for obs, w in gof:
    exp = np.array(w, float) / sum(w) * sum(obs)
    r = stats.chisquare(obs, exp)
    out["chisquare"].append({"observed": obs, "weights": w, "chi2": float(r.statistic), "p_value": float(r.pvalue)})
a = list(rng.normal(0, 1, 400).round(6)); b = list(rng.normal(0.2, 1.1, 300).round(6))
r = stats.ks_2samp(a, b, method="asymp")
out["ks_2samp"] = {"a": a, "b": b, "statistic": float(r.statistic), "p_value_asymp": float(r.pvalue)}
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Tests", "StatsKitTests", "Fixtures", "scipy_reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
