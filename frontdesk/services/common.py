from servicedesk.roles import Role

# Who works the desk: records enquiries and handovers, ticks broadcasts, adds one-off slots.
DESK_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)
# Who approves promotions and emergencies and plans the weekly programme.
APPROVERS = (Role.SUPERVISOR, Role.MANAGER)
# Who spot-checks the desk (顾客服务监督).
CHECKERS = (Role.SUPERVISOR, Role.MANAGER)


def hhmm(value):
    return value.strftime("%H:%M")
