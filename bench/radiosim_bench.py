#!/usr/bin/env python3
"""RadioSim vs mobile-env: raw simulator steps/s with random actions on the small central scenario.

Builds and runs the Swift benchmark (release), then runs mobile-env side by side when it is
installed (pip install mobile-env), and prints both figures and the ratio.
Usage: python3 bench/radiosim_bench.py [--seconds S] [--no-install]
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECONDS = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 3.0


def ours():
    subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "RadioSimBench"],
                   cwd=os.path.join(ROOT, "Benchmarks"), check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(["nice", "-n", "10", os.path.join(ROOT, "Benchmarks", ".build", "release", "RadioSimBench"),
                          "--seconds", str(SECONDS), "--json"], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def mobile_env_steps_per_second(env_id):
    try:
        import gymnasium
        import mobile_env  # noqa: F401
    except ImportError:
        if "--no-install" in sys.argv:
            return None
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mobile-env"], check=False)
        try:
            import gymnasium
            import mobile_env  # noqa: F401
        except ImportError:
            return None
    env = gymnasium.make(env_id)
    env.action_space.seed(1)
    env.reset(seed=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        _, _, term, trunc, _ = env.step(env.action_space.sample())
        steps += 1
        if term or trunc:
            env.reset()
    return steps / (time.perf_counter() - start)


def main():
    figures = ours()
    for key, value in figures.items():
        print(f"ours  {key:42s} {value:14.1f}")
    rows = [("small central", "mobile-small-central-v0", "small_central_steps_per_s"),
            ("large central", "mobile-large-central-v0", "large_central_steps_per_s")]
    print()
    for label, env_id, key in rows:
        peer = mobile_env_steps_per_second(env_id)
        if peer is None:
            print(f"{label}: mobile-env not installed; ours {figures[key]:.1f} steps/s")
            continue
        print(f"{label}: ours {figures[key]:.1f} steps/s, mobile-env {peer:.1f} steps/s, "
              f"ratio {figures[key] / peer:.1f}x (target 100x)")


if __name__ == "__main__":
    main()
