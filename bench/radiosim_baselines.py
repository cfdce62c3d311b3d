#!/usr/bin/env python3
"""Baseline returns on mobile-env itself (random, strongest-signal) for comparison with
`RadioEvaluation.baselines` (different random streams, so compare distributions, not values).
Usage: python3 bench/radiosim_baselines.py [scenario] [episodes]
"""
import sys

import gymnasium
import numpy as np
import mobile_env  # noqa: F401


def strongest_signal_actions(env):
    core = env.unwrapped
    acts = []
    for ue_id in sorted(core.users):
        ue = core.users[ue_id]
        stations = sorted(core.stations.values(), key=lambda b: b.bs_id)
        snrs = [core.channel.snr(bs, ue) for bs in stations]
        reachable = [i for i, s in enumerate(snrs) if s > ue.snr_threshold]
        best = max(reachable, key=lambda i: snrs[i]) if reachable else -1
        connected = [i for i, bs in enumerate(stations) if ue in core.connections[bs] and i in reachable]
        if best >= 0 and best not in connected:
            acts.append(best + 1)
        elif any(i != best for i in connected):
            acts.append([i for i in connected if i != best][0] + 1)
        else:
            acts.append(0)
    return np.array(acts)


def run(scenario, episodes, policy):
    env = gymnasium.make(f"mobile-{scenario}-central-v0")
    env.action_space.seed(0)
    returns = []
    env.reset(seed=0)
    for _ in range(episodes):
        total, done = 0.0, False
        while not done:
            a = env.action_space.sample() if policy == "random" else strongest_signal_actions(env)
            _, r, term, trunc, _ = env.step(a)
            total += r
            done = term or trunc
        returns.append(total)
        env.reset()
    return float(np.mean(returns)), float(np.std(returns))


if __name__ == "__main__":
    scenario = sys.argv[1] if len(sys.argv) > 1 else "small"
    episodes = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    for policy in ["random", "strongest_signal"]:
        mean, std = run(scenario, episodes, policy)
        print(f"mobile-env {scenario} central {policy}: mean {mean:.3f} std {std:.3f}")
