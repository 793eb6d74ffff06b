"""The home page's dashboards, contributed by the apps through this registry, so the base
package imports no app (docs/architecture.md). An app registers in its AppConfig.ready():

    dashboards.register("mall", mall_dashboard)     # (user, mall) -> context for the mall's card
    dashboards.register("chain", chain_dashboard)   # (malls) -> context for head office's table

The home page shows what is registered and nothing when no app contributes one.
"""

_providers = {}


def register(kind, provider):
    _providers[kind] = provider


def build(kind, *args):
    provider = _providers.get(kind)
    return provider(*args) if provider is not None else None
