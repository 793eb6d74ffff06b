"""Permission matrix: every URL of the product x every role and anonymous x GET and POST.

The URLs come from the URL conf (tests/security/matrix.py), so a new page fails this test until
it has its rows in TABLE below. Each role's user works in SH01; every id in a URL points at a
record in SH01 (rows GET, POST) and then at the same kind of record in WX01 (rows GET*, POST*).

Words in the table:
  200     the page (a POST without data shows the form again with its errors)
  302     done or refused with a message and a redirect inside the app; nothing is written
          without valid data, and the state checks come before the role check on some
          action pages (e.g. paying a case that is not approved) - test_head_office_writes_nothing
          below proves that head office changes nothing whatever it is shown
  login   302 to the login page
  403     the role may not
  404     another mall's record (or a file that does not exist yet, e.g. a receipt before payout)
  405     wrong method (POST-only actions, logout)
  503     /status/ with no worker heartbeat in the test database (admin only)

Columns: anon = not logged in, fd front desk, co complaint officer, pt price-tag officer,
ck clerk, sv supervisor, mg manager, ho head office (all malls, read-only), ad administrator
(superuser, as made by demo_data), mc a merchant user of the SH01 world's merchant (issue #19):
every staff URL is 404 for it (only sign-in and sign-out are open, `/` leads to `/merchant/`),
and in the portal another mall's merchant's record is 404 (another merchant of the same mall:
tests/merchantportal/test_portal_pages.py), dr a driver (issue 21; not the driver of the world's
run, so its run and stops are 404 to it). Django's admin is covered by test_admin_is_for_staff_only.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from simple_history.models import registered_models

from reports.models import ReportExport
from servicedesk.roles import Role
from tests.factories import make_staff
from tests.security.matrix import COLUMNS, outcome, product_urls, url_for
from tests.security.world import build_world, notification_for

pytestmark = pytest.mark.django_db

# fmt: off
TABLE = """
# url name                               verb    anon    fd    co    pt    ck    sv    mg    ho    ad    mc    dr
home                                     GET    login   200   200   200   200   200   200   200   200   302   200
home                                     POST   login   200   200   200   200   200   200   200   200   302   200
login                                    GET      200   200   200   200   200   200   200   200   200   200   200
login                                    POST     200   200   200   200   200   200   200   200   200   200   200
logout                                   GET      405   405   405   405   405   405   405   405   405   405   405
two_factor_setup                         GET    login   302   302   302   302   302   302   302   302   404   302
two_factor_setup                         POST   login   302   302   302   302   302   302   302   302   404   302
two_factor_verify                        GET    login   302   302   302   302   302   302   302   302   404   302
two_factor_verify                        POST   login   302   302   302   302   302   302   302   302   404   302
logout                                   POST   login login login login login login login login login login  login
password_change                          GET    login   200   200   200   200   200   200   200   200   404   200
password_change                          POST   login   200   200   200   200   200   200   200   200   404   200
password_change_done                     GET    login   200   200   200   200   200   200   200   200   404   200
password_change_done                     POST   login   405   405   405   405   405   405   405   405   404   405
password_reset                           GET      200   200   200   200   200   200   200   200   200   404   200
password_reset                           POST     200   200   200   200   200   200   200   200   200   404   200
password_reset_done                      GET      200   200   200   200   200   200   200   200   200   404   200
password_reset_done                      POST     405   405   405   405   405   405   405   405   405   404   405
password_reset_confirm                   GET      200   200   200   200   200   200   200   200   200   404   200
password_reset_confirm                   POST     200   200   200   200   200   200   200   200   200   404   200
password_reset_confirm                   GET*     200   200   200   200   200   200   200   200   200   404   200
password_reset_confirm                   POST*    200   200   200   200   200   200   200   200   200   404   200
password_reset_complete                  GET      200   200   200   200   200   200   200   200   200   404   200
password_reset_complete                  POST     405   405   405   405   405   405   405   405   405   404   405
status                                   GET    login   403   403   403   403   403   403   403   503   404   403
status                                   POST   login   403   403   403   403   403   403   403   503   404   403
switch_mall                              GET    login   405   405   405   405   405   405   405   405   404   405
switch_mall                              POST   login   302   302   302   302   302   302   302   302   404   302
customers:list                           GET    login   200   200   403   200   200   200   200   200   404   403
customers:list                           POST   login   200   200   403   200   200   200   200   200   404   403
customers:create                         GET    login   200   200   403   200   200   200   403   403   404   403
customers:create                         POST   login   200   200   403   200   200   200   403   403   404   403
customers:detail                         GET    login   200   200   403   200   200   200   200   200   404   403
customers:detail                         POST   login   200   200   403   200   200   200   200   200   404   403
customers:detail                         GET*   login   404   404   404   404   404   404   200   200   404   404
customers:detail                         POST*  login   404   404   404   404   404   404   200   200   404   404
customers:edit                           GET    login   200   200   403   200   200   200   403   403   404   403
customers:edit                           POST   login   200   200   403   200   200   200   403   403   404   403
customers:edit                           GET*   login   404   404   404   404   404   404   403   403   404   404
customers:edit                           POST*  login   404   404   404   404   404   404   403   403   404   404
customers:find                           GET    login   200   200   403   200   200   200   200   200   404   403
customers:find                           POST   login   200   200   403   200   200   200   200   200   404   403
notifications:list                       GET    login   200   200   200   200   200   200   200   200   404   200
notifications:list                       POST   login   200   200   200   200   200   200   200   200   404   200
notifications:open                       GET    login   405   405   405   405   405   405   405   405   404   405
notifications:open                       POST   login   302   302   302   302   302   302   302   302   404   302
notifications:open                       GET*   login   405   405   405   405   405   405   405   405   404   405
notifications:open                       POST*  login   404   404   404   404   404   404   404   404   404   404
notifications:read_all                   GET    login   405   405   405   405   405   405   405   405   404   405
notifications:read_all                   POST   login   302   302   302   302   302   302   302   302   404   302
complaints:index                         GET    login   200   200   403   403   200   200   200   200   404   403
complaints:index                         POST   login   200   200   403   403   200   200   200   200   404   403
complaints:my_work                       GET    login   200   200   403   403   200   200   200   200   404   403
complaints:my_work                       POST   login   200   200   403   403   200   200   200   200   404   403
complaints:intake                        GET    login   200   200   403   403   403   403   403   403   404   403
complaints:intake                        POST   login   200   200   403   403   403   403   403   403   404   403
complaints:customer_lookup               GET    login   200   200   403   403   403   403   403   403   404   403
complaints:customer_lookup               POST   login   200   200   403   403   403   403   403   403   404   403
complaints:register_print                GET    login   200   200   403   403   200   200   200   200   404   403
complaints:register_print                POST   login   200   200   403   403   200   200   200   200   404   403
complaints:register_export               GET    login   200   200   403   403   200   200   200   200   404   403
complaints:register_export               POST   login   200   200   403   403   200   200   200   200   404   403
complaints:merchant                      GET    login   200   200   403   403   200   200   200   200   404   403
complaints:merchant                      POST   login   200   200   403   403   200   200   200   200   404   403
complaints:merchant                      GET*   login   404   404   403   403   404   404   200   200   404   403
complaints:merchant                      POST*  login   404   404   403   403   404   404   200   200   404   403
complaints:detail                        GET    login   200   200   403   403   200   200   200   200   404   403
complaints:detail                        POST   login   200   200   403   403   200   200   200   200   404   403
complaints:detail                        GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:detail                        POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:act                           GET    login   403   200   403   403   200   403   403   403   404   403
complaints:act                           POST   login   403   302   403   403   302   403   403   403   404   403
complaints:act                           GET*   login   404   404   404   404   404   404   403   403   404   404
complaints:act                           POST*  login   404   404   404   404   404   404   403   403   404   404
complaints:log                           GET    login   405   405   405   405   405   405   405   405   404   405
complaints:log                           POST   login   302   302   403   403   302   302   403   403   404   403
complaints:log                           GET*   login   405   405   405   405   405   405   405   405   404   405
complaints:log                           POST*  login   404   404   404   404   404   404   403   403   404   404
complaints:customer_message              GET    login   405   405   405   405   405   405   405   405   404   405
complaints:customer_message              POST   login   302   302   403   403   302   302   403   403   404   403
complaints:customer_message              GET*   login   405   405   405   405   405   405   405   405   404   405
complaints:customer_message              POST*  login   404   404   404   404   404   404   403   403   404   404
complaints:customer_photo                GET    login   200   200   403   403   200   200   200   200   404   403
complaints:customer_photo                POST   login   200   200   403   403   200   200   200   200   404   403
complaints:customer_photo                GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:customer_photo                POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:slip                          GET    login   200   200   403   403   200   200   200   200   404   403
complaints:slip                          POST   login   200   200   403   403   200   200   200   200   404   403
complaints:slip                          GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:slip                          POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:slip_pdf                      GET    login   200   200   403   403   200   200   200   200   404   403
complaints:slip_pdf                      POST   login   200   200   403   403   200   200   200   200   404   403
complaints:slip_pdf                      GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:slip_pdf                      POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:form_print                    GET    login   200   200   403   403   200   200   200   200   404   403
complaints:form_print                    POST   login   200   200   403   403   200   200   200   200   404   403
complaints:form_print                    GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:form_print                    POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:forward_notice                GET    login   302   302   403   403   302   302   302   302   404   403
complaints:forward_notice                POST   login   302   302   403   403   302   302   302   302   404   403
complaints:forward_notice                GET*   login   404   404   404   404   404   404   302   302   404   404
complaints:forward_notice                POST*  login   404   404   404   404   404   404   302   302   404   404
complaints:attachment                    GET    login   200   200   403   403   200   200   200   200   404   403
complaints:attachment                    POST   login   200   200   403   403   200   200   200   200   404   403
complaints:attachment                    GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:attachment                    POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:staff_list                    GET    login   200   200   403   403   200   200   200   200   404   403
complaints:staff_list                    POST   login   200   200   403   403   200   200   200   200   404   403
complaints:staff_create                  GET    login   200   200   403   403   200   200   403   403   404   403
complaints:staff_create                  POST   login   200   200   403   403   200   200   403   403   404   403
complaints:staff_print                   GET    login   200   200   403   403   200   200   200   200   404   403
complaints:staff_print                   POST   login   200   200   403   403   200   200   200   200   404   403
complaints:staff_detail                  GET    login   200   200   403   403   200   200   200   200   404   403
complaints:staff_detail                  POST   login   200   200   403   403   200   200   200   200   404   403
complaints:staff_detail                  GET*   login   404   404   404   404   404   404   200   200   404   404
complaints:staff_detail                  POST*  login   404   404   404   404   404   404   200   200   404   404
complaints:staff_sign_off                GET    login   403   403   403   403   403   302   403   403   404   403
complaints:staff_sign_off                POST   login   403   403   403   403   403   302   403   403   404   403
complaints:staff_sign_off                GET*   login   404   404   404   404   404   404   403   403   404   404
complaints:staff_sign_off                POST*  login   404   404   404   404   404   404   403   403   404   404
compensations:index                      GET    login   403   200   403   200   200   200   200   200   404   403
compensations:index                      POST   login   403   200   403   200   200   200   200   200   404   403
compensations:register                   GET    login   403   200   403   200   200   200   200   200   404   403
compensations:register                   POST   login   403   200   403   200   200   200   200   200   404   403
compensations:register_export            GET    login   403   200   403   200   200   200   200   200   404   403
compensations:register_export            POST   login   403   200   403   200   200   200   200   200   404   403
compensations:propose                    GET    login   403   200   403   403   200   403   403   403   404   403
compensations:propose                    POST   login   403   200   403   403   200   403   403   403   404   403
compensations:propose                    GET*   login   404   404   404   404   404   404   403   403   404   404
compensations:propose                    POST*  login   404   404   404   404   404   404   403   403   404   404
compensations:detail                     GET    login   403   200   403   200   200   200   200   200   404   403
compensations:detail                     POST   login   403   200   403   200   200   200   200   200   404   403
compensations:detail                     GET*   login   404   404   404   404   404   404   200   200   404   404
compensations:detail                     POST*  login   404   404   404   404   404   404   200   200   404   404
compensations:decide                     GET    login   405   405   405   405   405   405   405   405   404   405
compensations:decide                     POST   login   403   302   403   302   302   302   302   302   404   403
compensations:decide                     GET*   login   405   405   405   405   405   405   405   405   404   405
compensations:decide                     POST*  login   404   404   404   404   404   404   302   302   404   404
compensations:pay                        GET    login   403   302   403   302   302   302   302   302   404   403
compensations:pay                        POST   login   403   302   403   302   302   302   302   302   404   403
compensations:pay                        GET*   login   404   404   404   404   404   404   302   302   404   404
compensations:pay                        POST*  login   404   404   404   404   404   404   302   302   404   404
compensations:recovery                   GET    login   403   302   403   302   302   302   302   302   404   403
compensations:recovery                   POST   login   403   302   403   302   302   302   302   302   404   403
compensations:recovery                   GET*   login   404   404   404   404   404   404   302   302   404   404
compensations:recovery                   POST*  login   404   404   404   404   404   404   302   302   404   404
compensations:write_off                  GET    login   403   302   403   302   302   302   302   302   404   403
compensations:write_off                  POST   login   403   302   403   302   302   302   302   302   404   403
compensations:write_off                  GET*   login   404   404   404   404   404   404   302   302   404   404
compensations:write_off                  POST*  login   404   404   404   404   404   404   302   302   404   404
compensations:close                      GET    login   405   405   405   405   405   405   405   405   404   405
compensations:close                      POST   login   403   302   403   302   302   302   302   302   404   403
compensations:close                      GET*   login   405   405   405   405   405   405   405   405   404   405
compensations:close                      POST*  login   404   404   404   404   404   404   302   302   404   404
compensations:compensation_approval      GET    login   403   200   403   200   200   200   200   200   404   403
compensations:compensation_approval      POST   login   403   200   403   200   200   200   200   200   404   403
compensations:compensation_approval      GET*   login   404   404   404   404   404   404   200   200   404   404
compensations:compensation_approval      POST*  login   404   404   404   404   404   404   200   200   404   404
compensations:compensation_approval_pdf  GET    login   403   200   403   200   200   200   200   200   404   403
compensations:compensation_approval_pdf  POST   login   403   200   403   200   200   200   200   200   404   403
compensations:compensation_approval_pdf  GET*   login   404   404   404   404   404   404   200   200   404   404
compensations:compensation_approval_pdf  POST*  login   404   404   404   404   404   404   200   200   404   404
compensations:customer_receipt           GET    login   405   405   405   405   405   405   405   405   404   405
compensations:customer_receipt           POST   login   403   403   403   302   403   302   403   403   404   403
compensations:customer_receipt           GET*   login   405   405   405   405   405   405   405   405   404   405
compensations:customer_receipt           POST*  login   404   404   404   404   404   404   403   403   404   404
compensations:receipt                    GET    login   403   404   403   404   404   404   404   404   404   403
compensations:receipt                    POST   login   403   404   403   404   404   404   404   404   404   403
compensations:receipt                    GET*   login   404   404   404   404   404   404   404   404   404   404
compensations:receipt                    POST*  login   404   404   404   404   404   404   404   404   404   404
compensations:evidence                   GET    login   403   200   403   200   200   200   200   200   404   403
compensations:evidence                   POST   login   403   200   403   200   200   200   200   200   404   403
compensations:evidence                   GET*   login   404   404   404   404   404   404   200   200   404   404
compensations:evidence                   POST*  login   404   404   404   404   404   404   200   200   404   404
returns:index                            GET    login   200   200   403   403   200   200   200   200   404   403
returns:index                            POST   login   200   200   403   403   200   200   200   200   404   403
returns:new                              GET    login   200   200   403   403   200   200   403   403   404   403
returns:new                              POST   login   200   200   403   403   200   200   403   403   404   403
returns:eligibility                      GET    login   200   200   403   403   200   200   404   404   404   403
returns:eligibility                      POST   login   200   200   403   403   200   200   404   404   404   403
returns:summary                          GET    login   200   200   403   403   200   200   200   200   404   403
returns:summary                          POST   login   200   200   403   403   200   200   200   200   404   403
returns:detail                           GET    login   200   200   403   403   200   200   200   200   404   403
returns:detail                           POST   login   200   200   403   403   200   200   200   200   404   403
returns:detail                           GET*   login   404   404   404   404   404   404   200   200   404   404
returns:detail                           POST*  login   404   404   404   404   404   404   200   200   404   404
returns:photo                            GET    login   200   200   403   403   200   200   200   200   404   403
returns:photo                            POST   login   200   200   403   403   200   200   200   200   404   403
returns:photo                            GET*   login   404   404   404   404   404   404   200   200   404   404
returns:photo                            POST*  login   404   404   404   404   404   404   200   200   404   404
returns:slip                             GET    login   200   200   403   403   200   200   200   200   404   403
returns:slip                             POST   login   200   200   403   403   200   200   200   200   404   403
returns:slip                             GET*   login   404   404   404   404   404   404   200   200   404   404
returns:slip                             POST*  login   404   404   404   404   404   404   200   200   404   404
returns:slip_pdf                         GET    login   200   200   403   403   200   200   200   200   404   403
returns:slip_pdf                         POST   login   200   200   403   403   200   200   200   200   404   403
returns:slip_pdf                         GET*   login   404   404   404   404   404   404   200   200   404   404
returns:slip_pdf                         POST*  login   404   404   404   404   404   404   200   200   404   404
returns:action                           GET    login   405   405   405   405   405   405   405   405   404   405
returns:action                           POST   login   302   302   403   403   302   302   403   403   404   403
returns:action                           GET*   login   405   405   405   405   405   405   405   405   404   405
returns:action                           POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:index                          GET    login   200   200   200   200   200   200   200   200   404   403
merchants:index                          POST   login   200   200   200   200   200   200   200   200   404   403
merchants:register                       GET    login   403   403   403   200   403   200   403   403   404   403
merchants:register                       POST   login   403   403   403   200   403   200   403   403   404   403
merchants:import                         GET    login   403   403   403   200   403   200   403   403   404   403
merchants:import                         POST   login   403   403   403   200   403   200   403   403   404   403
merchants:inspections                    GET    login   200   200   200   200   200   200   200   200   404   403
merchants:inspections                    POST   login   200   200   200   200   200   200   200   200   404   403
merchants:inspection_new                 GET    login   403   403   200   403   200   403   403   403   404   403
merchants:inspection_new                 POST   login   403   403   200   403   200   403   403   403   404   403
merchants:inspection_fixed               GET    login   405   405   405   405   405   405   405   405   404   405
merchants:inspection_fixed               POST   login   403   403   302   403   302   403   403   403   404   403
merchants:inspection_fixed               GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:inspection_fixed               POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:inspection_notice              GET    login   200   200   200   200   200   200   200   200   404   403
merchants:inspection_notice              POST   login   200   200   200   200   200   200   200   200   404   403
merchants:inspection_notice              GET*   login   404   404   404   404   404   404   200   200   404   403
merchants:inspection_notice              POST*  login   404   404   404   404   404   404   200   200   404   403
merchants:detail                         GET    login   200   200   200   200   200   200   200   200   404   403
merchants:detail                         POST   login   200   200   200   200   200   200   200   200   404   403
merchants:detail                         GET*   login   404   404   404   404   404   404   200   200   404   404
merchants:detail                         POST*  login   404   404   404   404   404   404   200   200   404   404
merchants:edit                           GET    login   403   403   403   200   403   200   403   403   404   403
merchants:edit                           POST   login   403   403   403   200   403   200   403   403   404   403
merchants:edit                           GET*   login   404   404   404   404   404   404   403   403   404   404
merchants:edit                           POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:users                          GET    login   403   403   403   200   403   200   403   403   404   403
merchants:users                          POST   login   403   403   403   200   403   200   403   403   404   403
merchants:users                          GET*   login   404   404   404   404   404   404   403   403   404   404
merchants:users                          POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:user_deactivate                GET    login   405   405   405   405   405   405   405   405   404   405
merchants:user_deactivate                POST   login   403   403   403   302   403   302   403   403   404   403
merchants:user_deactivate                GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:user_deactivate                POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:exit                           GET    login   403   403   403   200   403   200   403   403   404   403
merchants:exit                           POST   login   403   403   403   200   403   200   403   403   404   403
merchants:exit                           GET*   login   404   404   404   404   404   404   403   403   404   404
merchants:exit                           POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:confirm_exit                   GET    login   403   403   403   403   403   200   403   403   404   403
merchants:confirm_exit                   POST   login   403   403   403   403   403   200   403   403   404   403
merchants:confirm_exit                   GET*   login   404   404   404   404   404   404   403   403   404   404
merchants:confirm_exit                   POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:transition                     GET    login   405   405   405   405   405   405   405   405   404   405
merchants:transition                     POST   login   403   403   403   403   403   302   403   403   404   403
merchants:transition                     GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:transition                     POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:document_add                   GET    login   405   405   405   405   405   405   405   405   404   405
merchants:document_add                   POST   login   403   403   403   302   403   302   403   403   404   403
merchants:document_add                   GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:document_add                   POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:document_file                  GET    login   200   200   200   200   200   200   200   200   404   403
merchants:document_file                  POST   login   200   200   200   200   200   200   200   200   404   403
merchants:document_file                  GET*   login   404   404   404   404   404   404   200   200   404   404
merchants:document_file                  POST*  login   404   404   404   404   404   404   200   200   404   404
merchants:deposit_add                    GET    login   405   405   405   405   405   405   405   405   404   405
merchants:deposit_add                    POST   login   403   403   403   302   403   302   403   403   404   403
merchants:deposit_add                    GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:deposit_add                    POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:booth_add                      GET    login   405   405   405   405   405   405   405   405   404   405
merchants:booth_add                      POST   login   403   403   403   302   403   302   403   403   404   403
merchants:booth_add                      GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:booth_add                      POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:flag_clear                     GET    login   405   405   405   405   405   405   405   405   404   405
merchants:flag_clear                     POST   login   403   403   403   403   302   302   403   403   404   403
merchants:flag_clear                     GET*   login   405   405   405   405   405   405   405   405   404   405
merchants:flag_clear                     POST*  login   404   404   404   404   404   404   403   403   404   404
merchants:print_file                     GET    login   200   200   200   200   200   200   200   200   404   403
merchants:print_file                     POST   login   200   200   200   200   200   200   200   200   404   403
merchants:print_file                     GET*   login   404   404   404   404   404   404   200   200   404   404
merchants:print_file                     POST*  login   404   404   404   404   404   404   200   200   404   404
merchants:print_exit_checklist           GET    login   200   200   200   200   200   200   200   200   404   403
merchants:print_exit_checklist           POST   login   200   200   200   200   200   200   200   200   404   403
merchants:print_exit_checklist           GET*   login   404   404   404   404   404   404   200   200   404   404
merchants:print_exit_checklist           POST*  login   404   404   404   404   404   404   200   200   404   404
followups:index                          GET    login   403   200   403   200   200   200   200   200   404   403
followups:index                          POST   login   403   200   403   200   200   200   200   200   404   403
followups:callback                       GET    login   403   200   403   200   200   200   200   200   404   403
followups:callback                       POST   login   403   200   403   200   200   200   200   200   404   403
followups:callback                       GET*   login   404   404   404   404   404   404   200   200   404   404
followups:callback                       POST*  login   404   404   404   404   404   404   200   200   404   404
followups:call                           GET    login   403   200   403   403   200   403   403   403   404   403
followups:call                           POST   login   403   200   403   403   200   403   403   403   404   403
followups:call                           GET*   login   404   404   404   404   404   404   403   403   404   404
followups:call                           POST*  login   404   404   404   404   404   404   403   403   404   404
followups:visit_plan                     GET    login   403   302   403   302   302   302   302   302   404   403
followups:visit_plan                     POST   login   403   302   403   302   302   302   302   302   404   403
followups:visit_plan                     GET*   login   404   404   404   404   404   404   302   302   404   404
followups:visit_plan                     POST*  login   404   404   404   404   404   404   302   302   404   404
followups:visit_photo                    GET    login   403   200   403   200   200   200   200   200   404   403
followups:visit_photo                    POST   login   403   200   403   200   200   200   200   200   404   403
followups:visit_photo                    GET*   login   404   404   404   404   404   404   200   200   404   404
followups:visit_photo                    POST*  login   404   404   404   404   404   404   200   200   404   404
followups:visit_done                     GET    login   403   302   403   302   302   302   302   302   404   403
followups:visit_done                     POST   login   403   302   403   302   302   302   302   302   404   403
followups:visit_done                     GET*   login   404   404   404   404   404   404   302   302   404   404
followups:visit_done                     POST*  login   404   404   404   404   404   404   302   302   404   404
followups:register                       GET    login   403   200   403   200   200   200   200   200   404   403
followups:register                       POST   login   403   200   403   200   200   200   200   200   404   403
followups:sales_import                   GET    login   403   403   403   200   200   200   403   403   404   403
followups:sales_import                   POST   login   403   403   403   200   200   200   403   403   404   403
followups:import_progress                GET    login   403   200   403   200   200   200   200   200   404   403
followups:import_progress                POST   login   403   200   403   200   200   200   200   200   404   403
followups:import_progress                GET*   login   404   404   404   404   404   404   200   200   404   404
followups:import_progress                POST*  login   404   404   404   404   404   404   200   200   404   404
followups:import_status                  GET    login   403   200   403   200   200   200   200   200   404   403
followups:import_status                  POST   login   403   200   403   200   200   200   200   200   404   403
followups:import_status                  GET*   login   404   404   404   404   404   404   200   200   404   404
followups:import_status                  POST*  login   404   404   404   404   404   404   200   200   404   404
frontdesk:index                          GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:index                          POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:broadcast                      GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:broadcast                      POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:play_tick                      GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:play_tick                      POST   login   302   403   403   403   302   302   403   403   404   403
frontdesk:play_tick                      GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:play_tick                      POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:announce                       GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:announce                       POST   login   302   403   403   403   302   302   403   403   404   403
frontdesk:programme                      GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:programme                      POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:programme_generate             GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:programme_generate             POST   login   403   403   403   403   302   302   403   403   404   403
frontdesk:slot_new                       GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:slot_new                       POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:slot_approve                   GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:slot_approve                   POST   login   403   403   403   403   302   302   403   403   404   403
frontdesk:slot_approve                   GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:slot_approve                   POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:slot_retire                    GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:slot_retire                    POST   login   403   403   403   403   302   302   403   403   404   403
frontdesk:slot_retire                    GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:slot_retire                    POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:scripts                        GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:scripts                        POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:script_new                     GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:script_new                     POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:script                         GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:script                         POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:script                         GET*   login   404   403   403   403   404   404   200   200   404   403
frontdesk:script                         POST*  login   404   403   403   403   404   404   403   403   404   403
frontdesk:print_programme                GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:print_programme                POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:intake_poster                  GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:intake_poster                  POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:handovers                      GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:handovers                      POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:handover_new                   GET    login   200   403   403   403   200   403   403   403   404   403
frontdesk:handover_new                   POST   login   200   403   403   403   200   403   403   403   404   403
frontdesk:handover                       GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:handover                       POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:handover                       GET*   login   404   404   404   404   404   404   200   200   404   404
frontdesk:handover                       POST*  login   404   404   404   404   404   404   200   200   404   404
frontdesk:print_desk_log                 GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:print_desk_log                 POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:log_sign                       GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:log_sign                       POST   login   403   403   403   403   302   403   403   403   404   403
frontdesk:matter_new                     GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:matter_new                     POST   login   302   403   403   403   302   302   403   403   404   403
frontdesk:matter_finish                  GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:matter_finish                  POST   login   302   403   403   403   302   302   403   403   404   403
frontdesk:matter_finish                  GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:matter_finish                  POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:enquiries                      GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:enquiries                      POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:enquiry_convert                GET    login   302   403   403   403   302   302   403   403   404   403
frontdesk:enquiry_convert                POST   login   302   403   403   403   302   302   403   403   404   403
frontdesk:enquiry_convert                GET*   login   404   404   404   404   404   404   403   403   404   404
frontdesk:enquiry_convert                POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:rosters                        GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:rosters                        POST   login   403   403   403   403   200   200   403   403   404   403
frontdesk:roster                         GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:roster                         POST   login   403   403   403   403   200   200   403   403   404   403
frontdesk:roster                         GET*   login   404   404   404   404   404   404   200   200   404   404
frontdesk:roster                         POST*  login   404   404   404   404   404   404   403   403   404   404
frontdesk:roster_publish                 GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:roster_publish                 POST   login   302   403   403   403   302   302   302   302   404   403
frontdesk:roster_publish                 GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:roster_publish                 POST*  login   404   404   404   404   404   404   302   302   404   404
frontdesk:roster_print                   GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:roster_print                   POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:roster_print                   GET*   login   404   404   404   404   404   404   200   200   404   404
frontdesk:roster_print                   POST*  login   404   404   404   404   404   404   200   200   404   404
frontdesk:incidents                      GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:incidents                      POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:incident_new                   GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:incident_new                   POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:incident_register              GET    login   200   403   403   403   200   200   403   403   404   403
frontdesk:incident_register              POST   login   200   403   403   403   200   200   403   403   404   403
frontdesk:incident                       GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:incident                       POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:incident                       GET*   login   404   404   404   404   404   404   200   200   404   404
frontdesk:incident                       POST*  login   404   404   404   404   404   404   200   200   404   404
frontdesk:incident_follow_up             GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:incident_follow_up             POST   login   302   403   403   403   302   302   302   302   404   403
frontdesk:incident_follow_up             GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:incident_follow_up             POST*  login   404   404   404   404   404   404   302   302   404   404
frontdesk:incident_close                 GET    login   405   405   405   405   405   405   405   405   404   405
frontdesk:incident_close                 POST   login   302   403   403   403   302   302   302   302   404   403
frontdesk:incident_close                 GET*   login   405   405   405   405   405   405   405   405   404   405
frontdesk:incident_close                 POST*  login   404   404   404   404   404   404   302   302   404   404
frontdesk:spot_checks                    GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:spot_checks                    POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:spot_check_new                 GET    login   403   403   403   403   200   200   403   403   404   403
frontdesk:spot_check_new                 POST   login   403   403   403   403   200   200   403   403   404   403
frontdesk:spot_check                     GET    login   200   403   403   403   200   200   200   200   404   403
frontdesk:spot_check                     POST   login   200   403   403   403   200   200   200   200   404   403
frontdesk:spot_check                     GET*   login   404   404   404   404   404   404   200   200   404   404
frontdesk:spot_check                     POST*  login   404   404   404   404   404   404   200   200   404   404
reports:index                            GET    login   403   403   403   302   302   302   302   302   404   403
reports:index                            POST   login   403   403   403   302   302   302   302   302   404   403
reports:weekly                           GET    login   403   403   403   200   200   200   302   302   404   403
reports:weekly                           POST   login   403   403   403   200   200   200   302   302   404   403
reports:rollup                           GET    login   403   403   403   200   200   200   200   200   404   403
reports:rollup                           POST   login   403   403   403   200   200   200   200   200   404   403
reports:appraisal                        GET    login   403   403   403   200   200   200   200   200   404   403
reports:appraisal                        POST   login   403   403   403   200   200   200   200   200   404   403
reports:archive                          GET    login   403   403   403   200   200   200   200   200   404   403
reports:archive                          POST   login   403   403   403   200   200   200   200   200   404   403
reports:archive_download                 GET    login   403   403   403   200   200   200   200   200   404   403
reports:archive_download                 POST   login   403   403   403   200   200   200   200   200   404   403
reports:archive_download                 GET*   login   403   403   403   404   404   404   200   200   404   403
reports:archive_download                 POST*  login   403   403   403   404   404   404   200   200   404   403
reports:export                           GET    login   403   403   403   200   200   200   200   200   404   403
reports:export                           POST   login   403   403   403   200   200   200   200   200   404   403
reports:export                           GET*   login   404   404   404   404   404   404   404   404   404   404
reports:export                           POST*  login   404   404   404   404   404   404   404   404   404   404
reports:export_status                    GET    login   403   403   403   200   200   200   200   200   404   403
reports:export_status                    POST   login   403   403   403   200   200   200   200   200   404   403
reports:export_status                    GET*   login   404   404   404   404   404   404   404   404   404   404
reports:export_status                    POST*  login   404   404   404   404   404   404   404   404   404   404
reports:export_download                  GET    login   403   403   403   302   302   302   302   302   404   403
reports:export_download                  POST   login   403   403   403   302   302   302   302   302   404   403
reports:export_download                  GET*   login   404   404   404   404   404   404   404   404   404   404
reports:export_download                  POST*  login   404   404   404   404   404   404   404   404   404   404
knowledge:index                          GET    login   200   200   200   200   200   200   200   200   404   200
knowledge:index                          POST   login   200   200   200   200   200   200   200   200   404   200
knowledge:new                            GET    login   403   200   403   403   200   200   200   200   404   403
knowledge:new                            POST   login   403   200   403   403   200   200   200   200   404   403
knowledge:replies                        GET    login   200   200   200   200   200   200   200   200   404   200
knowledge:replies                        POST   login   200   200   200   200   200   200   200   200   404   200
knowledge:advisor                        GET    login   200   200   200   200   200   200   200   200   404   200
knowledge:advisor                        POST   login   200   200   200   200   200   200   200   200   404   200
knowledge:advisor_panel                  GET    login   200   200   200   200   200   200   200   200   404   200
knowledge:advisor_panel                  POST   login   200   200   200   200   200   200   200   200   404   200
knowledge:detail                         GET    login   200   200   200   200   200   200   200   200   404   200
knowledge:detail                         POST   login   200   200   200   200   200   200   200   200   404   200
knowledge:detail                         GET*   login   404   404   404   404   404   404   200   200   404   404
knowledge:detail                         POST*  login   404   404   404   404   404   404   200   200   404   404
knowledge:edit                           GET    login   403   200   403   403   200   200   403   403   404   403
knowledge:edit                           POST   login   403   200   403   403   200   200   403   403   404   403
knowledge:edit                           GET*   login   404   404   404   404   404   404   403   403   404   404
knowledge:edit                           POST*  login   404   404   404   404   404   404   403   403   404   404
knowledge:cite                           GET    login   405   405   405   405   405   405   405   405   404   405
knowledge:cite                           POST   login   302   302   302   302   302   302   302   302   404   302
knowledge:cite                           GET*   login   405   405   405   405   405   405   405   405   404   405
knowledge:cite                           POST*  login   404   404   404   404   404   404   302   302   404   404
knowledge:action                         GET    login   405   405   405   405   405   405   405   405   404   405
knowledge:action                         POST   login   403   403   403   403   302   302   403   403   404   403
knowledge:action                         GET*   login   405   405   405   405   405   405   405   405   404   405
knowledge:action                         POST*  login   404   404   404   404   404   404   403   403   404   404
merchantportal:home                      GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:home                      POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaints                GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaints                POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaint                 GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaint                 POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaint                 GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:complaint                 POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:complaint_file            GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaint_file            POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:complaint_file            GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:complaint_file            POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:returns                   GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:returns                   POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:return                    GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:return                    POST   login   404   404   404   404   404   404   404   404   302   404
merchantportal:return                    GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:return                    POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:return_photo              GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:return_photo              POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:return_photo              GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:return_photo              POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:price_tags                GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tags                POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tag                 GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tag                 POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tag                 GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:price_tag                 POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:price_tag_photo           GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tag_photo           POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:price_tag_photo           GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:price_tag_photo           POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:invitation                GET      404   404   404   404   404   404   404   404   404   404   404
merchantportal:invitation                POST     404   404   404   404   404   404   404   404   404   404   404
merchantportal:invitation                GET*     404   404   404   404   404   404   404   404   404   404   404
merchantportal:invitation                POST*    404   404   404   404   404   404   404   404   404   404   404
drivers:index                            GET    login   403   403   403   200   200   200   200   200   404   302
drivers:index                            POST   login   403   403   403   200   200   200   200   200   404   302
drivers:new                              GET    login   403   403   403   200   200   403   403   403   404   403
drivers:new                              POST   login   403   403   403   200   200   403   403   403   404   403
drivers:run                              GET    login   403   403   403   200   200   200   200   200   404   404
drivers:run                              POST   login   403   403   403   200   200   200   200   200   404   404
drivers:run                              GET*   login   404   404   404   404   404   404   200   200   404   404
drivers:run                              POST*  login   404   404   404   404   404   404   200   200   404   404
drivers:sheet                            GET    login   403   403   403   200   200   200   200   200   404   404
drivers:sheet                            POST   login   403   403   403   200   200   200   200   200   404   404
drivers:sheet                            GET*   login   404   404   404   404   404   404   200   200   404   404
drivers:sheet                            POST*  login   404   404   404   404   404   404   200   200   404   404
drivers:today                            GET    login   403   403   403   403   403   403   403   403   404   200
drivers:today                            POST   login   403   403   403   403   403   403   403   403   404   200
drivers:stop_done                        GET    login   405   405   405   405   405   405   405   405   404   405
drivers:stop_done                        POST   login   403   403   403   404   404   404   404   404   404   404
drivers:stop_done                        GET*   login   405   405   405   405   405   405   405   405   404   405
drivers:stop_done                        POST*  login   404   404   404   404   404   404   404   404   404   404
drivers:stop_photo                       GET    login   403   403   403   200   200   200   200   200   404   404
drivers:stop_photo                       POST   login   403   403   403   200   200   200   200   200   404   404
drivers:stop_photo                       GET*   login   404   404   404   404   404   404   200   200   404   404
drivers:stop_photo                       POST*  login   404   404   404   404   404   404   200   200   404   404
drivers:stop_cancel                      GET    login   403   403   403   302   302   403   403   403   404   404
drivers:stop_cancel                      POST   login   403   403   403   302   302   403   403   403   404   404
drivers:stop_cancel                      GET*   login   404   404   404   404   404   404   403   403   404   404
drivers:stop_cancel                      POST*  login   404   404   404   404   404   404   403   403   404   404
exchanges:index                          GET    login   200   200   403   403   200   200   200   200   404   403
exchanges:index                          POST   login   200   200   403   403   200   200   200   200   404   403
exchanges:new                            GET    login   200   200   403   403   200   200   403   403   404   403
exchanges:new                            POST   login   200   200   403   403   200   200   403   403   404   403
exchanges:detail                         GET    login   200   200   403   403   200   200   200   200   404   403
exchanges:detail                         POST   login   200   200   403   403   200   200   200   200   404   403
exchanges:detail                         GET*   login   404   404   404   404   404   404   200   200   404   404
exchanges:detail                         POST*  login   404   404   404   404   404   404   200   200   404   404
exchanges:slip                           GET    login   200   200   403   403   200   200   200   200   404   403
exchanges:slip                           POST   login   200   200   403   403   200   200   200   200   404   403
exchanges:slip                           GET*   login   404   404   404   404   404   404   200   200   404   404
exchanges:slip                           POST*  login   404   404   404   404   404   404   200   200   404   404
exchanges:slip_pdf                       GET    login   200   200   403   403   200   200   200   200   404   403
exchanges:slip_pdf                       POST   login   200   200   403   403   200   200   200   200   404   403
exchanges:slip_pdf                       GET*   login   404   404   404   404   404   404   200   200   404   404
exchanges:slip_pdf                       POST*  login   404   404   404   404   404   404   200   200   404   404
exchanges:action                         GET    login   405   405   405   405   405   405   405   405   404   405
exchanges:action                         POST   login   302   302   403   403   302   302   403   403   404   403
exchanges:action                         GET*   login   405   405   405   405   405   405   405   405   404   405
exchanges:action                         POST*  login   404   404   404   404   404   404   403   403   404   404
merchantportal:exchanges                 GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:exchanges                 POST   login   404   404   404   404   404   404   404   404   200   404
merchantportal:exchange                  GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:exchange                  POST   login   404   404   404   404   404   404   404   404   302   404
merchantportal:exchange                  GET*   login   404   404   404   404   404   404   404   404   404   404
merchantportal:exchange                  POST*  login   404   404   404   404   404   404   404   404   404   404
merchantportal:deposit                   GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:deposit                   POST   login   404   404   404   404   404   404   404   404   405   404
merchantportal:exit                      GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:exit                      POST   login   404   404   404   404   404   404   404   404   405   404
merchantportal:scorecard                 GET    login   404   404   404   404   404   404   404   404   200   404
merchantportal:scorecard                 POST   login   404   404   404   404   404   404   404   404   405   404
"""
# fmt: on


def parse(table):
    """{(url name, verb): {column: outcome}}; a verb ending in * is the row for another mall's ids."""
    rows = {}
    for line in table.strip().splitlines():
        if not line.startswith("#"):
            name, verb, *cells = line.split()
            rows[(name, verb)] = dict(zip(COLUMNS, cells, strict=True))
    return rows


EXPECTED = parse(TABLE)


def test_every_url_is_in_the_table_and_nothing_else():
    found = {
        (name, verb + mark)
        for name, keywords in product_urls()
        for mark in ("", "*")
        if keywords or not mark
        for verb in ("GET", "POST")
    }
    missing = sorted(found - set(EXPECTED))
    assert not missing, f"classify these URLs in TABLE: {missing}"
    assert not sorted(set(EXPECTED) - found), "TABLE names URLs that no longer exist"


def login_as(client, column, mall, world=None):
    if column == "anon":
        return None
    if column == "merchant":
        user = world["merchant_account"].user
        client.force_login(user)
        return user
    user = make_staff(Role(column), mall, username=f"matrix-{column}")
    if column == "admin":
        get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.refresh_from_db()
    client.force_login(user)
    return user


@pytest.fixture
def worlds(mall, other_mall):
    own, other = build_world(mall, "1"), build_world(other_mall, "2")
    someone = make_staff(Role.FRONT_DESK, other_mall, username="someone-else")
    other["notification"] = notification_for(someone, other_mall)
    other["export"] = ReportExport.objects.create(requested_by=someone, period_key="2026-W01")  # someone else's
    return own, other, someone


@pytest.mark.parametrize("column", COLUMNS)
def test_permission_matrix(column, client, mall, worlds):
    own, other, someone = worlds
    user = login_as(client, column, mall, own)
    own["notification"] = notification_for(user or someone, mall)
    own["export"] = ReportExport.objects.create(requested_by=user or someone, period_key="2026-W01")
    wrong = []
    for name, keywords in product_urls():
        for mark, world in (("", own), ("*", other)):
            if mark and not keywords:
                continue
            url = url_for(name, keywords, world)
            assert url is not None, f"{name}: map its keywords in tests/security/matrix.py KWARGS_BY_URL"
            for verb in ("GET", "POST"):
                expected = EXPECTED[(name, verb + mark)][column]
                got = outcome(getattr(client, verb.lower())(url))
                if got != expected:
                    wrong.append(f"{verb}{mark} {url} ({name}): expected {expected}, got {got}")
                if user is not None and name == "logout":
                    client.force_login(user)
    assert not wrong, f"{column}:\n" + "\n".join(wrong)
    if column == "head_office":
        assert_wrote_nothing(user)


def assert_wrote_nothing(user):
    """Head office saw every page and posted to every URL: no audit row carries its name.

    Reading a mall's settings writes nothing (a mall never configured uses the defaults in
    memory), so policies are checked like every other model. Downloading a case's 审批表 PDF
    keeps a copy with the case by design (reason "PDF"); that is an archive, not a decision.
    """
    for model in registered_models.values():
        if model.history.model.objects.filter(history_user=user).exclude(history_change_reason="PDF").exists():
            pytest.fail(f"head office changed {model._meta.label}")


@pytest.mark.parametrize(
    ("column", "expected"),
    [("anon", "302"), ("front_desk", "302"), ("head_office", "302"), ("admin", "200"), ("merchant", "404")],
)
def test_admin_is_for_staff_only(column, expected, client, mall):
    world = None
    if column == "merchant":
        from tests.merchantportal.factories import merchant_user
        from tests.merchants.factories import MerchantFactory

        world = {"merchant_account": merchant_user(MerchantFactory(mall=mall))}
    login_as(client, column, mall, world)
    response = client.get(reverse("admin:index"))
    got = str(response.status_code)
    assert got == expected
    if got == "302":
        assert response["Location"].startswith(reverse("admin:login"))
