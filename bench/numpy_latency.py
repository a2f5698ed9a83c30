#!/usr/bin/env python3
"""NumPy anchor for the latency suite's CPU requests (issue 21): the same five requests as
`gpuctl-bench --cpu --suite latency` (indicators 1 x 1024 and 64 x 1024, Black-Scholes 1,024 and 65,536,
the VaR 99% update of one portfolio over 4,096 resident scenarios x 512 assets), float32, in the best
plain-NumPy form found (whole-array operations; the EMA and RSI recurrences step over time, vectorised
across assets, which is what NumPy can do without a compiled loop). One request at a time, timed with
time.perf_counter_ns, 10,000 requests or a 5 s bound after 200 warm-ups; nearest-rank percentiles as the
native program computes them. Each request is checked once against a float64 NumPy version of itself.

Run single-threaded, as the issue's target asks (OpenBLAS threads 1), with the machine's OpenBLAS
workaround variables unset in this command alone (/work/.library/env/README.md):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 bench/numpy_latency.py [REQUEST...]
(REQUEST: a name or prefix of the rows below, e.g. `var` for the two VaR rows; none: every request.)
Prints one JSON line per request, then a table. The VaR update is also timed with the scenarios stored as float16
(`var_1_f16`, the native `lat_var_1_f16_*` rows' storage), in the fastest of NumPy's forms for it.
"""

import json
import math
import sys
import time

import numpy as np

T = 1024
SQRT1_2 = 0.7071067811865476


def sma(p, n=20):
    c = np.cumsum(p, axis=1, dtype=p.dtype)
    out = np.empty_like(p)
    out[:, :n] = c[:, :n] / np.arange(1, n + 1, dtype=p.dtype)
    out[:, n:] = (c[:, n:] - c[:, :-n]) / n
    return out


def ema(p, n=20):
    a = p.dtype.type(2.0 / (n + 1))
    out = np.empty_like(p)
    out[:, : n - 1] = np.cumsum(p[:, : n - 1], axis=1) / np.arange(1, n, dtype=p.dtype)
    e = p[:, :n].mean(axis=1)
    out[:, n - 1] = e
    for t in range(n, p.shape[1]):
        e = e + a * (p[:, t] - e)
        out[:, t] = e
    return out


def bollinger(p, n=20, k=2.0):
    w = np.lib.stride_tricks.sliding_window_view(p, n, axis=1)
    mid = np.empty_like(p)
    sd = np.empty_like(p)
    mid[:, n - 1 :] = w.mean(axis=2)
    sd[:, n - 1 :] = w.std(axis=2)
    for t in range(n - 1):  # growing window at the start, as the native code does
        mid[:, t] = p[:, : t + 1].mean(axis=1)
        sd[:, t] = p[:, : t + 1].std(axis=1)
    return mid, mid + k * sd, mid - k * sd


def rsi(p, n=14):
    d = np.diff(p, axis=1)
    g = np.maximum(d, 0)
    l_ = np.maximum(-d, 0)
    out = np.full_like(p, 50)
    ag = g[:, :n].mean(axis=1)
    al = l_[:, :n].mean(axis=1)
    for t in range(n, p.shape[1]):
        if t > n:
            ag = (ag * (n - 1) + g[:, t - 1]) / n
            al = (al * (n - 1) + l_[:, t - 1]) / n
        out[:, t] = 100 - 100 / (1 + ag / np.maximum(al, 1e-30))
    return out


def indicators(p):
    return [sma(p), ema(p), *bollinger(p), rsi(p)]


def cnd(d):  # Abramowitz-Stegun, as the native CPU and NVIDIA's sample (no erf in NumPy)
    k = 1.0 / (1.0 + 0.2316419 * np.abs(d))
    c = 0.3989422804014327 * np.exp(-0.5 * d * d) * (k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429)))))
    return np.where(d > 0, 1 - c, c)


def black_scholes(S, K, Tm, r=0.02, v=0.30):
    sq = np.sqrt(Tm)
    d1 = (np.log(S / K) + (r + 0.5 * v * v) * Tm) / (v * sq)
    d2 = d1 - v * sq
    df = np.exp(-r * Tm)
    c1, c2 = cnd(d1), cnd(d2)
    return S * c1 - K * df * c2, K * df * (1 - c2) - S * (1 - c1)


def var99(R, w, k):
    pnl = R @ w
    return -np.partition(pnl, k)[k]


def rel_l2(out, ref):
    out = np.concatenate([np.ravel(o) for o in out]).astype(np.float64)
    ref = np.concatenate([np.ravel(o) for o in ref])
    return float(np.linalg.norm(out - ref) / np.linalg.norm(ref))


def pct(s, p):
    rank = math.ceil(p * len(s) / 100 - 1e-9)
    return s[min(len(s), max(rank, 1)) - 1]


def quick_us(fn, n=5):
    fn()
    best = math.inf
    for _ in range(n):
        t0 = time.perf_counter_ns()
        fn()
        best = min(best, (time.perf_counter_ns() - t0) / 1e3)
    return best


def measure(name, fn, reps=10000, bound_s=5.0):
    for _ in range(200):
        fn()
    ms = []
    start = time.perf_counter()
    while len(ms) < reps and (len(ms) < 100 or time.perf_counter() - start < bound_s):
        t0 = time.perf_counter_ns()
        fn()
        ms.append((time.perf_counter_ns() - t0) / 1e3)
    s = sorted(ms)
    return {'name': name, 'requests': len(s), 'p50Us': pct(s, 50), 'p95Us': pct(s, 95), 'p99Us': pct(s, 99), 'p999Us': pct(s, 99.9), 'maxUs': s[-1]}


def main():
    only = sys.argv[1:]  # request names or prefixes (`var` for the two VaR rows); none: all

    def want(name):
        return not only or any(name.startswith(o) for o in only)

    rng = np.random.default_rng(int(time.time_ns() % 2**32))  # fresh inputs every run
    rows = []
    for a in (1, 64):
        p = (100 * np.exp(np.cumsum(rng.normal(0, 0.01, (a, T)), axis=1))).astype(np.float32)
        if not want(f'ind_{a}x1024'):
            continue
        err = rel_l2(indicators(p), indicators(p.astype(np.float64)))
        rows.append({**measure(f'ind_{a}x1024', lambda p=p: indicators(p)), 'relL2': err})
    for n in (1024, 65536):
        S = rng.uniform(5, 30, n).astype(np.float32)
        K = rng.uniform(1, 100, n).astype(np.float32)
        Tm = rng.uniform(0.25, 10, n).astype(np.float32)
        if not want(f'bs_{n}'):
            continue
        err = rel_l2(black_scholes(S, K, Tm), black_scholes(S.astype(np.float64), K.astype(np.float64), Tm.astype(np.float64)))
        rows.append({**measure(f'bs_{n}', lambda S=S, K=K, Tm=Tm: black_scholes(S, K, Tm)), 'relL2': err})
    R = (rng.normal(0, 0.01, (4096, 1)) + rng.normal(0, 0.01, (4096, 512))).astype(np.float32)
    w = rng.uniform(0, 2 / 512, 512).astype(np.float32)
    k = int(math.floor(0.01 * 4096))
    ref = var99(R.astype(np.float64), w.astype(np.float64), k)
    if want('var_1'):
        rows.append({**measure('var_1', lambda: var99(R, w, k)), 'relL2': rel_l2([var99(R, w, k)], [ref])})
    # The scenarios stored as float16 (the native `lat_var_1_f16_*` rows), checked against the same float64 VaR of the
    # float32 scenarios. NumPy has no float16 GEMV kernel: its forms widen per request (astype, or matmul's own
    # promotion) or compute in float16 (R16 @ w16, far slower); the fastest is kept. Each is slower than `var_1` above,
    # so NumPy's best for this storage choice is its float32 form: the comparison uses whichever is faster. The native
    # float32 rows screen through such a float16 product first (native/src/cpu_var_screen.hpp); in NumPy that first
    # step alone is one of these forms, slower than `R @ w`, so NumPy's best float32 form stays `R @ w` + partition.
    R16, w16 = R.astype(np.float16), w.astype(np.float16)
    forms16 = {
        'astype': lambda: var99(R16.astype(np.float32), w, k),
        'promote': lambda: -np.partition(R16 @ w, k)[k],
        'float16': lambda: -np.partition(R16 @ w16, k)[k],
    }
    best16 = min(forms16, key=lambda f: quick_us(forms16[f])) if want('var_1_f16') else None
    if best16:
        rows.append({**measure('var_1_f16', forms16[best16]), 'relL2': rel_l2([forms16[best16]()], [ref]), 'form': best16})
    for r in rows:
        print(json.dumps({'numpy': np.__version__, 'python': sys.version.split()[0], **r}))
    print(f"{'request':<14}{'n':>7}{'p50':>10}{'p95':>10}{'p99':>10}{'p99.9':>10}{'max':>10}  (us, NumPy {np.__version__}, one thread)")
    for r in rows:
        print(f"{r['name']:<14}{r['requests']:>7}" + ''.join(f'{r[k]:>10.1f}' for k in ('p50Us', 'p95Us', 'p99Us', 'p999Us', 'maxUs')))


if __name__ == '__main__':
    main()
