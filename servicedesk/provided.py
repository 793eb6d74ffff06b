"""Operations that an app higher up provides to an app below it when it starts.

A lower app never imports a higher one (docs/architecture.md). Where it needs the higher app's
work (the portal's link for a complaint, the follow-ups' sales for a return form), its module
declares the operations by name and the higher app's `AppConfig.ready()` provides them:

    _provided = Provided("the portal app provides the customer's links: add it to INSTALLED_APPS",
                         "case_sms", "printed_link")
    provide = _provided.provide          # portal.apps: customer_links.provide(case_sms=..., ...)
    _get = _provided.get                 # _get("case_sms")(case, ...)
"""


class Provided:
    def __init__(self, missing, *names):
        self._missing = missing  # what to say when the providing app is not installed
        self._names = frozenset(names)
        self._operations = {}

    def provide(self, **operations):
        if set(operations) != self._names:
            raise TypeError(f"provide exactly {sorted(self._names)}, got {sorted(operations)}")
        self._operations.update(operations)

    def get(self, name):
        if name not in self._names:
            raise KeyError(name)
        try:
            return self._operations[name]
        except KeyError:
            raise RuntimeError(self._missing) from None
