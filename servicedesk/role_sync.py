"""Historical: the role groups of Django model permissions, removed (servicedesk 0015).

What a role may do is declared where the services enforce it (see servicedesk.roles); the
admin is the administrator role's (servicedesk.admin_access). Past migrations still name this
function, so it stays, doing nothing.
"""


def sync_role_groups(apps, schema_editor=None):
    """Kept for the migrations that call it; the groups it filled are gone."""
