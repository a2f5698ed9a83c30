#!/usr/bin/env python3
"""PyTorch side of the cluster comparison (docs/benchmarks.md, issue 9), run in the same session as
`gpuctl bench --gpus all --suite links,collectives,latency`:

  p2p      device-to-device tensor copy for every ordered GPU pair (1 GiB, bytes counted once; host clock
           around 5 back-to-back copies with both devices synchronised, median of 20)
  allreduce torch.distributed all-reduce, NCCL backend, one process per GPU, fp32, 8 B .. 1 GiB (x2);
           timed like nccl-tests (host clock over a batch of back-to-back calls ending in a synchronise,
           median of 5 batches); busbw = algbw x 2(n-1)/n
  latency  the latency suite's requests through PyTorch, eager and CUDA-graph-captured: pinned H2D, the
           same computation (bench/torch_compare.py's implementations), D2H into pinned memory,
           synchronise; host clock per request, 10,000 requests after 200 warm-up

Writes one JSON object (--out). NVLink multicast stays off (NCCL_NVLS_ENABLE=0 is forced here).
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

os.environ.setdefault("NCCL_NVLS_ENABLE", "0")
os.environ["NCCL_NVLS_ENABLE"] = "0"
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_compare as tc  # noqa: E402


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def p2p(size):
    n = torch.cuda.device_count()
    out = []
    for a in range(n):
        src = torch.empty(size, dtype=torch.uint8, device=f"cuda:{a}").random_(0, 255)
        for b in range(n):
            if a == b:
                continue
            dst = torch.empty(size, dtype=torch.uint8, device=f"cuda:{b}")
            def sync():
                torch.cuda.synchronize(a)
                torch.cuda.synchronize(b)
            for _ in range(3):
                dst.copy_(src, non_blocking=True)
            sync()
            ts = []
            for _ in range(20):
                t0 = time.perf_counter()
                for _ in range(5):
                    dst.copy_(src, non_blocking=True)
                sync()
                ts.append((time.perf_counter() - t0) / 5)
            ok = bool(torch.equal(dst[:4096].cpu(), src[:4096].cpu()))
            med = statistics.median(ts)
            out.append(dict(src=a, dst=b, bytes=size, ms=med * 1e3, gbs=size / med / 1e9, ok=ok, p2p=torch.cuda.can_device_access_peer(a, b)))
            log(f"p2p {a}->{b}: {size / med / 1e9:.1f} GB/s")
            del dst
        del src
        torch.cuda.empty_cache()
    return out


def _allreduce_worker(rank, n, port, max_bytes, q):
    os.environ["NCCL_NVLS_ENABLE"] = "0"
    torch.cuda.set_device(rank)
    dist.init_process_group("nccl", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=n, device_id=torch.device(f"cuda:{rank}"))
    res = []
    S = 8
    while S <= max_bytes:
        t = torch.zeros(max(1, S // 4), device=f"cuda:{rank}")  # zeros while timing: sums stay finite
        iters = 50 if S <= (1 << 20) else 20 if S <= (64 << 20) else 5
        for _ in range(3):
            dist.all_reduce(t)
        torch.cuda.synchronize()
        samples = []
        for _ in range(5):
            dist.barrier()
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(iters):
                dist.all_reduce(t)
            torch.cuda.synchronize()
            samples.append((time.perf_counter() - t0) / iters)
        t.fill_(float(rank + 1))
        dist.all_reduce(t)
        torch.cuda.synchronize()
        ok = bool(torch.all(t == n * (n + 1) / 2).item())
        ms = statistics.median(samples) * 1e3
        bytes_ = 4 * t.numel()
        algbw = bytes_ / (ms * 1e-3) / 1e9
        res.append(dict(bytes=bytes_, ms=ms, algbw=algbw, busbw=algbw * 2 * (n - 1) / n, ok=ok))
        del t
        S *= 2
    if rank == 0:
        q.put(res)
    dist.barrier()
    dist.destroy_process_group()


def allreduce(max_bytes):
    n = torch.cuda.device_count()
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    port = 29500 + os.getpid() % 1000
    procs = [ctx.Process(target=_allreduce_worker, args=(r, n, port, max_bytes, q)) for r in range(n)]
    for p in procs:
        p.start()
    res = q.get(timeout=600)
    for p in procs:
        p.join(timeout=60)
    for r in res:
        log(f"all_reduce {r['bytes']:>11d} B: busbw {r['busbw']:.2f} GB/s")
    return dict(ranks=n, nccl=".".join(map(str, torch.cuda.nccl.version())), points=res)


def pct(sorted_ms, p):
    rank = min(len(sorted_ms), max(1, math.ceil(p * len(sorted_ms) / 100 - 1e-9)))
    return sorted_ms[rank - 1]


def stats(ms):
    s = sorted(ms)
    return dict(requests=len(s), p50Us=pct(s, 50) * 1e3, p95Us=pct(s, 95) * 1e3, p99Us=pct(s, 99) * 1e3, p999Us=pct(s, 99.9) * 1e3, maxUs=s[-1] * 1e3)


def latency(requests, warm):
    dev = torch.device("cuda:0")
    torch.cuda.set_device(0)
    g = torch.Generator().manual_seed(7)
    out = {}

    def make_ind(A):
        x = (100 * torch.exp(torch.cumsum(0.01 * torch.randn(A, 1024, generator=g), 1))).float()
        hin = x.pin_memory()
        din = torch.empty_like(x, device=dev)
        mats_e = tc.linrec_mats(1 - 2.0 / (tc.EMA_N + 1), 1024)
        mats_r = tc.linrec_mats((tc.RSI_N - 1) / tc.RSI_N, 1024)
        hout = torch.empty(6, A, 1024).pin_memory()
        def body():
            din.copy_(hin, non_blocking=True)
            m, up, lo = tc.bb_unfold(din)
            res = torch.stack([tc.sma_cumsum(din), tc.ema_matmul(din, mats_e), m, up, lo, tc.rsi_matmul(din, mats_r)])
            hout.copy_(res, non_blocking=True)
        return body

    def make_bs(n):
        S = torch.rand(n, generator=g) * 25 + 5
        K = torch.rand(n, generator=g) * 99 + 1
        T = torch.rand(n, generator=g) * 9.75 + 0.25
        hin = torch.stack([S, K, T]).pin_memory()
        din = torch.empty(3, n, device=dev)
        hout = torch.empty(2, n).pin_memory()
        def body():
            din.copy_(hin, non_blocking=True)
            c, p = tc.black_scholes(din[0], din[1], din[2])
            hout.copy_(torch.stack([c, p]), non_blocking=True)
        return body

    def make_var():
        R = (0.01 * torch.randn(4096, 512, generator=g)).to(dev)
        hw = (torch.rand(1, 512, generator=g) / 256).pin_memory()
        dw = torch.empty(1, 512, device=dev)
        hout = torch.empty(1).pin_memory()
        k = int(math.floor(0.01 * 4096))
        def body():
            dw.copy_(hw, non_blocking=True)
            hout.copy_(tc.var_kth(dw, R, k), non_blocking=True)
        return body

    cases = [("ind_1x1024", make_ind(1)), ("ind_64x1024", make_ind(64)), ("bs_1024", make_bs(1024)), ("bs_65536", make_bs(65536)), ("var_1", make_var())]
    stream = torch.cuda.current_stream()
    for name, body in cases:
        for mode in ("eager", "graph"):
            try:
                if mode == "graph":
                    s = torch.cuda.Stream()
                    s.wait_stream(stream)
                    with torch.cuda.stream(s):
                        for _ in range(3):
                            body()
                    stream.wait_stream(s)
                    graph = torch.cuda.CUDAGraph()
                    with torch.cuda.graph(graph):
                        body()
                    run = graph.replay
                else:
                    run = body
                for _ in range(warm):
                    run()
                    stream.synchronize()
                ms = []
                for _ in range(requests):
                    t0 = time.perf_counter()
                    run()
                    stream.synchronize()
                    ms.append((time.perf_counter() - t0) * 1e3)
                out[f"{name}_{mode}"] = stats(ms)
                log(f"latency {name} {mode}: p50 {out[f'{name}_{mode}']['p50Us']:.1f} us, p99 {out[f'{name}_{mode}']['p99Us']:.1f} us")
            except Exception as e:  # a variant that cannot be captured is reported, not fatal
                out[f"{name}_{mode}"] = dict(error=f"{type(e).__name__}: {e}")
                log(f"latency {name} {mode}: {type(e).__name__}: {e}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", nargs="+", choices=["p2p", "allreduce", "latency"])
    ap.add_argument("--out", required=True)
    ap.add_argument("--p2p-bytes", type=int, default=1 << 30)
    ap.add_argument("--max-bytes", type=int, default=1 << 30)
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--warmup", type=int, default=200)
    a = ap.parse_args()
    res = dict(torch=torch.__version__, cuda=torch.version.cuda, device=torch.cuda.get_device_name(0), gpus=torch.cuda.device_count())
    for w in a.what:
        t0 = time.time()
        try:
            res[w] = p2p(a.p2p_bytes) if w == "p2p" else allreduce(a.max_bytes) if w == "allreduce" else latency(a.requests, a.warmup)
        except Exception as e:
            res[w] = dict(error=f"{type(e).__name__}: {e}")
            log(f"{w}: {type(e).__name__}: {e}")
        log(f"{w} took {time.time() - t0:.1f} s")
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
