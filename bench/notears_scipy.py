#!/usr/bin/env python3
"""Reference NOTEARS-linear in NumPy/SciPy, as in Zheng et al. 2018 (Algorithm 1) and the
authors' notears_linear: least squares + L1, h(W) = tr(expm(W*W)) - d, augmented Lagrangian
(rho x10 while h > h_old/4, alpha += rho*h), scipy L-BFGS-B on the [W+, W-] split.
usage: notears_scipy.py FILE.csv... -> one JSON line per file."""
import json, sys, time
import numpy as np
import scipy.linalg as slin
import scipy.optimize as sopt


def notears_linear(X, lambda1=0.1, max_iter=100, h_tol=1e-8, rho_max=1e16, w_threshold=0.3):
    n, d = X.shape

    def _adj(w):
        return (w[:d * d] - w[d * d:]).reshape([d, d])

    def _loss(W):
        R = X - X @ W
        return 0.5 / n * (R ** 2).sum(), -1.0 / n * X.T @ R

    def _h(W):
        E = slin.expm(W * W)
        return np.trace(E) - d, E.T * W * 2

    def _func(w):
        W = _adj(w)
        loss, G_loss = _loss(W)
        h, G_h = _h(W)
        obj = loss + 0.5 * rho * h * h + alpha * h + lambda1 * w.sum()
        G_smooth = G_loss + (rho * h + alpha) * G_h
        return obj, np.concatenate((G_smooth + lambda1, -G_smooth + lambda1), axis=None)

    w_est, rho, alpha, h = np.zeros(2 * d * d), 1.0, 0.0, np.inf
    bnds = [(0, 0) if i == j else (0, None) for _ in range(2) for i in range(d) for j in range(d)]
    X = X - np.mean(X, axis=0, keepdims=True)
    for _ in range(max_iter):
        w_new, h_new = None, None
        while rho < rho_max:
            sol = sopt.minimize(_func, w_est, method='L-BFGS-B', jac=True, bounds=bnds)
            w_new = sol.x
            h_new, _ = _h(_adj(w_new))
            if h_new > 0.25 * h:
                rho *= 10
            else:
                break
        w_est, h = w_new, h_new
        alpha += rho * h
        if h <= h_tol or rho >= rho_max:
            break
    W = _adj(w_est)
    W[np.abs(W) < w_threshold] = 0
    return W


if __name__ == "__main__":
    for path in sys.argv[1:]:
        X = np.loadtxt(path, delimiter=",", skiprows=1)
        t0, c0 = time.perf_counter(), time.process_time()
        W = notears_linear(X)
        print(json.dumps({"file": path, "method": "scipy", "seconds": time.perf_counter() - t0,
                          "cpu_seconds": time.process_time() - c0,
                          "adjacency": W.tolist()}), flush=True)
