"""Turn a service's ValidationError into messages next to the form's fields.

One function for every view (it lives with the forms: `servicedesk.forms.add_errors`); this name
stays for the views that import it from here.
"""

from .forms import add_errors as add_service_errors

__all__ = ["add_service_errors"]
