from .registers import callback_register, import_progress, import_status, sales_import
from .worklist import callback_detail, home_visit_done, home_visit_photo, home_visit_plan, worklist

__all__ = [
    "callback_detail",
    "callback_register",
    "home_visit_done",
    "home_visit_photo",
    "home_visit_plan",
    "import_progress",
    "import_status",
    "sales_import",
    "worklist",
]
