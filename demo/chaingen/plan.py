"""How big the chain is, and how it is shared out over malls of different sizes."""

import random
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Sizes:
    malls: int = 400
    merchants: int = 20_000
    complaints: int = 1_000_000
    returns: int = 200_000
    compensations: int = 50_000
    sales: int = 10_000_000
    years: int = 3

    @classmethod
    def small(cls):
        """The CI preset: every kind of record, a few seconds to write."""
        return cls(malls=3, merchants=45, complaints=600, returns=120, compensations=30, sales=3000, years=2)

    def scaled(self, **given):
        """Sizes from the flags given; the ones left out follow the complaints in the issue's
        proportions (1M complaints : 200k returns : 50k compensations : 20k merchants)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: v for k, v in given.items() if v is not None})
        complaints = values["complaints"]
        for name, ratio in (("returns", 0.2), ("compensations", 0.05)):
            if given.get(name) is None:
                values[name] = int(complaints * ratio)
        if given.get("merchants") is None:
            values["merchants"] = values["malls"] * 50
        return Sizes(**values)


def mall_weights(count, rng):
    """Relative sizes: a few flagship malls, many ordinary ones (a Pareto tail, capped at 8x)."""
    weights = [min(rng.paretovariate(2.0), 8.0) for _ in range(count)]
    total = sum(weights)
    return [w / total for w in weights]


def share(total, weights):
    """`total` split by `weights` in whole numbers that add up exactly (largest remainder)."""
    raw = [total * w for w in weights]
    counts = [int(r) for r in raw]
    rest = total - sum(counts)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    return counts


@dataclass
class MallPlan:
    index: int
    code: str
    city: str
    name: str
    merchants: int
    complaints: int
    returns: int
    compensations: int
    sales: int


def plan_malls(sizes, seed, cities):
    rng = random.Random(f"{seed}-malls")
    weights = mall_weights(sizes.malls, rng)
    per = {
        name: share(getattr(sizes, name), weights)
        for name in ("merchants", "complaints", "returns", "compensations", "sales")
    }
    plans, seen = [], {}
    for i in range(sizes.malls):
        abbr, city = cities[i % len(cities)]
        seen[abbr] = seen.get(abbr, 0) + 1
        number = seen[abbr]
        plans.append(
            MallPlan(
                index=i,
                code=f"{abbr}{number:02d}",
                city=city,
                name=f"{city}第{number}商场",
                merchants=max(per["merchants"][i], 3),
                complaints=per["complaints"][i],
                returns=per["returns"][i],
                compensations=per["compensations"][i],
                sales=per["sales"][i],
            )
        )
    return plans
