#!/usr/bin/env python3
"""Writes Tests/RadioSimTests/Fixtures/mobile_env_reference.json from mobile-env (pip install mobile-env).

Movement is pinned (initial positions and the positions after every move are given), so the
whole step (link drops, toggles, scheduling, utilities, rewards, observations) is a deterministic
function of the fixture and our simulator must reproduce it; the random streams differ by design.
"""
import json
import os
import sys

import gymnasium
import numpy as np
import mobile_env  # noqa: F401  (registers the environments)
from mobile_env.core.channels import OkumuraHata
from mobile_env.core.entities import BaseStation, UserEquipment
from mobile_env.core.utilities import BoundedLogUtility


class PinnedMovement:
    """Replaces random waypoint: returns given positions."""

    def __init__(self, initial, path, ue_count):
        self.initial, self.path, self.ue_count, self.t = initial, path, ue_count, 0

    def reset(self):
        self.t = 0

    def initial_position(self, ue):
        return tuple(self.initial[ue.ue_id])

    def move(self, ue):
        pos = tuple(self.path[self.t][ue.ue_id])
        if ue.ue_id == self.ue_count - 1:
            self.t += 1
        return pos


def make_case(scenario, variant, steps, episode_length, seed):
    rng = np.random.default_rng(seed)
    from mobile_env.handlers.central import MComCentralHandler
    from mobile_env.handlers.multi_agent import MComMAHandler
    handler = MComCentralHandler if variant == "central" else MComMAHandler
    config = {"EP_MAX_TIME": episode_length, "arrival_params": {"ep_time": episode_length}, "handler": handler}
    env = gymnasium.make(f"mobile-{scenario}-{variant}-v0", config=config).unwrapped
    U, N, W, H = env.NUM_USERS, env.NUM_STATIONS, env.width, env.height
    initial = np.column_stack([rng.uniform(0, W, U), rng.uniform(0, H, U)])
    path, pos = [], initial.copy()
    for _ in range(steps):
        pos = pos + rng.normal(0, 12, size=pos.shape)
        pos[:, 0] = np.clip(pos[:, 0], 0, W)
        pos[:, 1] = np.clip(pos[:, 1], 0, H)
        path.append(pos.copy())
    env.movement = PinnedMovement(initial.tolist(), [p.tolist() for p in path], U)
    obs, info = env.reset()
    case = {
        "scenario": scenario, "variant": variant, "episode_length": episode_length,
        "initial": initial.tolist(),
        "reset_observation": obs.tolist() if variant == "central" else [obs[u].tolist() for u in range(U)],
        "steps": [],
    }
    for t in range(steps):
        # bias towards connecting: 1/3 no-op, else a random station toggle
        acts = [int(a) if rng.random() > 0.33 else 0 for a in rng.integers(1, N + 1, size=U)]
        if variant == "central":
            obs, reward, term, trunc, info = env.step(np.array(acts))
        else:
            obs, reward, term, trunc, info = env.step({u: acts[u] for u in range(U)})
        step = {
            "actions": acts,
            "positions_after": path[t].tolist(),
            "terminated": bool(term), "truncated": bool(trunc),
            "macro_rates": [float(env.macro[ue]) for ue in sorted(env.users.values(), key=lambda u: u.ue_id)],
            "utilities": [float(env.utilities[ue]) for ue in sorted(env.users.values(), key=lambda u: u.ue_id)],
            "connections": sorted([[ue.ue_id, bs.bs_id] for bs, ues in env.connections.items() for ue in ues]),
            "info": {k: float(v) for k, v in info.items() if np.isscalar(v)},
        }
        if variant == "central":
            step["reward"] = float(reward)
            step["observation"] = obs.tolist()
        else:
            step["rewards"] = [float(reward[u]) for u in range(U)]
            step["observations"] = [obs[u].tolist() for u in range(U)] if obs else []
        case["steps"].append(step)
        if trunc:
            break
    return case


def formulas():
    bs = BaseStation(0, (110, 130), bw=9e6, freq=2500, tx=30, height=50)
    ue = UserEquipment(0, velocity=1.5, snr_tr=2e-8, noise=1e-9, height=1.5)
    ch = OkumuraHata()
    util = BoundedLogUtility(lower=-20, upper=20, coeffs=(10, 0, 10))
    out = []
    for (x, y) in [(110.9, 130.2), (111, 130), (150.7, 99.99), (10.5, 10.5), (180, 170), (60, 200), (110, 199)]:
        ue.x, ue.y = x, y
        snr = ch.snr(bs, ue)
        rate = ch.datarate(bs, ue, snr)
        u = util.utility(rate)
        out.append({"ue": [x, y], "station": [110, 130], "loss": float(ch.power_loss(bs, ue)), "snr": float(snr),
                    "rate": float(rate), "utility": float(u), "scaled": float(util.scale(u))})
    return out


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Tests", "RadioSimTests", "Fixtures", "mobile_env_reference.json")
    import importlib.metadata as md
    cases = [
        make_case("small", "central", 30, 100, 1),
        make_case("small", "ma", 30, 100, 2),
        make_case("small", "central", 12, 12, 3),
        make_case("small", "ma", 12, 12, 4),
        make_case("medium", "central", 15, 100, 5),
        make_case("medium", "ma", 15, 100, 6),
        make_case("large", "central", 10, 100, 7),
        make_case("large", "ma", 10, 100, 8),
    ]
    doc = {"generator": "bench/radiosim_fixture.py", "mobile_env_version": md.version("mobile-env"),
           "formulas": formulas(), "cases": cases}
    with open(out_path, "w") as f:
        json.dump(doc, f)
    print("wrote", out_path, os.path.getsize(out_path), "bytes")


if __name__ == "__main__":
    main()
