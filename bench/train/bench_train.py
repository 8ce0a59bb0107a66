#!/usr/bin/env python3
"""Training speed, side by side: `grist train` against PyTorch (CPU, eager) on the same model shape.

For each configuration both run a few optimizer steps (forward, backward, clipping, AdamW) on batches of
real tokens from the sample shards, on the same number of threads, in the same run of this script.
Reported per step: wall ms, CPU ms (CLOCK_PROCESS_CPUTIME_ID; the clean figure on a shared machine),
tokens/s (wall and per CPU-second), GFLOP per CPU-second, and the share of one core's fp32 peak.
Peak RSS comes from /usr/bin/time -v (grist) and getrusage (torch, measured in a child process).

PyTorch is a reference, never a dependency: scripts/toolenv installs it into .venv-bench/ (the CPU wheel where
offered; scripts/reference/requirements-torch.txt) on first use.
Usage: python3 bench/train/bench_train.py [--threads N] [--steps N] [--configs small,gpt2]
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "toolenv"))
import toolenv  # noqa: E402

ROOT = toolenv.REPO
GRIST = toolenv.grist_path()
DATA = os.path.join(ROOT, "out/sample")

CONFIGS = {
    # name: (preset, layers, heads, width, context, batch, seq)
    "small": ("small", 6, 6, 384, 256, 8, 256),
    "gpt2": ("gpt2", 12, 12, 768, 1024, 4, 64),
}


def flops_per_token(layers, width, seq, vocab=50304):
    """6·N for the matrix products (N with the padded vocabulary) plus the attention scores, 12·L·C·T."""
    return 6 * (layers * 12 * width * width + vocab * width) + 12 * layers * width * seq


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def run_grist(name, threads, steps):
    preset, layers, heads, width, context, batch, seq = CONFIGS[name]
    out = f"/tmp/grist-bench-train-{name}"
    cmd = ["/usr/bin/time", "-v", GRIST, "train", "--data", DATA, "--model", preset, "--batch-size", str(batch),
           "--seq-len", str(seq), "--steps", str(steps), "--threads", str(threads), "--eval-every", "0",
           "--lr", "1e-4", "--out", out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"grist train failed:\n{proc.stdout}\n{proc.stderr}")
    walls, cpus = [], []
    kernels = ""
    for line in proc.stdout.splitlines():
        m = re.match(r"step (\d+)/\d+ .*\| ([\d,]+) ms \(([\d,]+) ms CPU", line)
        if m and int(m.group(1)) > 1:  # step 1 warms up (allocations, page faults)
            walls.append(float(m.group(2).replace(",", "")))
            cpus.append(float(m.group(3).replace(",", "")))
        if "kernels" in line:
            kernels = line.split(";")[-1].strip()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return {"wall_ms": median(walls), "cpu_ms": median(cpus), "rss_mb": int(rss.group(1)) / 1024 if rss else None,
            "note": kernels}


TORCH_CHILD = r"""
import json, os, resource, sys, time
import numpy as np, torch
from transformers import GPT2Config, GPT2LMHeadModel
layers, heads, width, context, batch, seq, steps, threads, shard = json.loads(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = GPT2LMHeadModel(GPT2Config(vocab_size=50257, n_positions=context, n_embd=width, n_layer=layers, n_head=heads,
                                   resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
model.train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.1)
tokens = np.memmap(shard, dtype=np.uint16, mode="r", offset=1024)
walls, cpus = [], []
for step in range(steps):
    start = step * batch * seq
    chunk = torch.from_numpy(tokens[start:start + batch * seq + 1].astype(np.int64))
    x, y = chunk[:-1].view(batch, seq), chunk[1:].view(batch, seq)
    w0, c0 = time.perf_counter(), time.process_time()
    logits = model(x).logits
    loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    w1, c1 = time.perf_counter(), time.process_time()
    if step > 0:
        walls.append((w1 - w0) * 1000); cpus.append((c1 - c0) * 1000)
walls.sort(); cpus.sort()
print(json.dumps({"wall_ms": walls[len(walls) // 2], "cpu_ms": cpus[len(cpus) // 2],
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "note": f"torch {torch.__version__}, {torch.get_num_threads()} threads, loss {loss.item():.3f}"}))
"""


def run_torch(name, threads, steps):
    _, layers, heads, width, context, batch, seq = CONFIGS[name]
    shard = sorted(f for f in os.listdir(os.path.join(DATA, "shards")) if f.startswith("train_"))[0]
    args = json.dumps([layers, heads, width, context, batch, seq, steps, threads, os.path.join(DATA, "shards", shard)])
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    proc = subprocess.run([sys.executable, "-c", TORCH_CHILD, args], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"torch failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


PEAK_CHILD = r"""
import time, numpy, torch
torch.set_num_threads(1)
a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
x, y = a.numpy(), b.numpy()
best = 0.0
for _ in range(5):
    for f in (lambda: a @ b, lambda: x @ y):  # MKL (torch) and numpy's own OpenBLAS: the better one
        c0 = time.process_time(); f(); best = max(best, 2 * 2048 ** 3 / (time.process_time() - c0) / 1e9)
print(best)
"""


def measured_peak():
    """One core's best large SGEMM (MKL through torch, or numpy's bundled OpenBLAS with its own CPU detection),
    in GFLOP per CPU-second: the practical ceiling."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return float(subprocess.run([sys.executable, "-c", PEAK_CHILD], capture_output=True, text=True, env=env,
                                check=True).stdout.strip())


def main():
    toolenv.ensure(["torch", "transformers", "numpy"], "scripts/reference/requirements-torch.txt")
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--configs", default="small,gpt2")
    args = parser.parse_args()
    toolenv.grist_binary()  # built if missing (make bench-train builds it first)
    if not os.path.exists(os.path.join(DATA, "manifest.sqlite")):
        subprocess.check_call([GRIST, "build", "pipelines/sample.yaml", "--output", DATA], cwd=ROOT)
    peak = measured_peak()
    load = os.getloadavg()[0]
    print(f"training speed, {args.threads} thread(s), median of steps 2..{args.steps}; load average {load:.1f} "
          f"(the machine is shared: CPU time is the clean figure)")
    print(f"% peak: share of one core's best measured SGEMM, {peak:.0f} GFLOP per CPU-second (2048³, MKL or numpy's OpenBLAS), per thread\n")
    header = f"{'configuration':<34} {'tool':<8} {'wall ms':>8} {'CPU ms':>8} {'tok/s':>7} {'tok/CPU-s':>9} " \
             f"{'GFLOP/CPU-s':>11} {'% peak':>6} {'RSS MB':>7}  notes"
    print(header)
    print("-" * len(header))
    summary = []
    for name in args.configs.split(","):
        preset, layers, heads, width, context, batch, seq = CONFIGS[name]
        gflop = flops_per_token(layers, width, seq) * batch * seq / 1e9
        label = f"{name}: {layers}L {width}w {heads}h B={batch} T={seq}"
        results = {"grist": run_grist(name, args.threads, args.steps), "pytorch": run_torch(name, args.threads, args.steps)}
        for tool, r in results.items():
            tokens = batch * seq
            print(f"{label:<34} {tool:<8} {r['wall_ms']:>8.0f} {r['cpu_ms']:>8.0f} {tokens / r['wall_ms'] * 1000:>7.0f} "
                  f"{tokens / r['cpu_ms'] * 1000:>9.0f} {gflop / r['cpu_ms'] * 1000:>11.1f} "
                  f"{100 * gflop / r['cpu_ms'] * 1000 / peak / args.threads:>5.0f}% "
                  f"{r['rss_mb'] or 0:>7.0f}  {r['note']}")
            label = ""
        ratio_cpu = results["pytorch"]["cpu_ms"] / results["grist"]["cpu_ms"]
        ratio_wall = results["pytorch"]["wall_ms"] / results["grist"]["wall_ms"]
        summary.append(f"{name}: grist is {ratio_cpu:.2f}x PyTorch's tokens per CPU-second ({ratio_wall:.2f}x wall), "
                       f"{gflop:.1f} GFLOP/step")
    print()
    print("\n".join(summary))


if __name__ == "__main__":
    main()
