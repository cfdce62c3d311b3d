#!/usr/bin/env python3
"""PPO on the small central radio scenario: MLPlane vs Stable-Baselines3 on mobile-env.

Builds and runs Benchmarks' ReinforcementBench (release), then, when stable-baselines3 and
mobile-env are installed (installed here unless --no-install), trains SB3's PPO with its
default hyperparameters on mobile-small-central-v0 for the same number of steps, one
environment, torch on 2 threads, and prints both figures and the ratios:
- training env-steps/s with the same hyperparameters (target 10x);
- mean return over 10 seeded deterministic episodes after the same steps (ours at least SB3's
  and above the strongest-signal heuristic).
Usage: python3 bench/ppo_bench.py [--timesteps N] [--no-install]
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMESTEPS = int(sys.argv[sys.argv.index("--timesteps") + 1]) if "--timesteps" in sys.argv else 100_000


def ours():
    subprocess.run(["nice", "-n", "10", "swift", "build", "-c", "release", "--product", "ReinforcementBench"],
                   cwd=os.path.join(ROOT, "Benchmarks"), check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([os.path.join(ROOT, "Benchmarks", ".build", "release", "ReinforcementBench"),
                          "--timesteps", str(TIMESTEPS), "--json"], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_peers():
    try:
        import gymnasium  # noqa: F401
        import mobile_env  # noqa: F401
        import stable_baselines3  # noqa: F401
        import torch  # noqa: F401
        return True
    except ImportError:
        if "--no-install" in sys.argv:
            return False
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mobile-env", "stable-baselines3", "torch"], check=False)
        try:
            import gymnasium  # noqa: F401
            import mobile_env  # noqa: F401
            import stable_baselines3  # noqa: F401
            return True
        except ImportError:
            return False


def sb3():
    if not import_peers():
        return None
    import gymnasium
    import mobile_env  # noqa: F401
    import torch
    from stable_baselines3 import PPO
    torch.set_num_threads(2)
    env = gymnasium.make("mobile-small-central-v0")
    model = PPO("MlpPolicy", env, seed=0, verbose=0, device="cpu")
    start = time.perf_counter()
    model.learn(total_timesteps=TIMESTEPS)
    seconds = time.perf_counter() - start
    returns = []
    for episode in range(10):
        obs, _ = env.reset(seed=episode)
        total, done = 0.0, False
        while not done:
            action, _ = model.predict(obs, deterministic=True)
            obs, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    steps = model.num_timesteps
    return {"env_steps_per_s": steps / seconds, "mean_return": sum(returns) / len(returns), "timesteps": steps}


def main():
    o = ours()
    print(f"timesteps {TIMESTEPS}, small central, 10 seeded deterministic evaluation episodes")
    print(f"ours (SB3 defaults)    {o['sb3_defaults_env_steps_per_s']:10.0f} env-steps/s   mean return {o['sb3_defaults_mean_return']:8.3f}")
    print(f"ours (radio defaults)  {o['radio_defaults_env_steps_per_s']:10.0f} env-steps/s   mean return {o['radio_defaults_mean_return']:8.3f}")
    print(f"strongest signal                             mean return {o['strongest_signal_mean_return']:8.3f}")
    print(f"load aware                                   mean return {o['load_aware_mean_return']:8.3f}")
    peer = sb3()
    if peer is None:
        print("stable-baselines3 / mobile-env not installed: peer skipped")
        return
    print(f"SB3 PPO (defaults)     {peer['env_steps_per_s']:10.0f} env-steps/s   mean return {peer['mean_return']:8.3f}")
    print(f"ratio env-steps/s (same hyperparameters): {o['sb3_defaults_env_steps_per_s'] / peer['env_steps_per_s']:.1f}x (target 10x)")
    print(f"mean return: ours {o['radio_defaults_mean_return']:.3f} (radio defaults), {o['sb3_defaults_mean_return']:.3f} (SB3 defaults) "
          f"vs SB3 {peer['mean_return']:.3f}; heuristic {o['strongest_signal_mean_return']:.3f}")


if __name__ == "__main__":
    main()
