"""A mall's setting that an app needs from an app above it, read through this registry so that
the arrows keep pointing down (docs/architecture.md). The app that owns the setting registers a
reader in its AppConfig.ready():

    mall_settings.register("warranty_months", lambda mall, on=None: WarrantyPolicy.for_mall(mall, on).warranty_months)

and the app below asks `mall_settings.value("warranty_months", mall)`. One setting, one owner:
the asker keeps no default of its own.
"""

_readers = {}


def register(name, read):
    _readers[name] = read


def value(name, mall, on=None):
    return _readers[name](mall, on)
