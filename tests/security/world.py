"""One record of every kind in a mall, made through the services where they exist.

The permission matrix fills every URL's ids from this, once for the user's own mall and once
for another mall (whose records must be a 404 for mall staff).
"""

from datetime import date, time
from decimal import Decimal

from django.utils import timezone

from complaints.models import ComplaintAttachment
from complaints.services import complaint_attach, staff_complaint_register
from drivers.models import DeliveryRun, RunStop
from followups.models import CallbackKind, HomeVisit, HomeVisitPhoto, SalesImport
from frontdesk import services as desk_services
from frontdesk.models import BroadcastSlot
from merchants.models import DocumentKind, InspectionPhoto
from merchants.services import document_upload, inspection_record
from reports.models import ReportArchive, ReportExport
from returns.models import ReturnPhoto
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, propose
from tests.complaints.factories import ComplaintFactory
from tests.exchanges.factories import ExchangeFactory
from tests.factories import CustomerFactory, make_staff
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.knowledge.factories import published
from tests.merchantportal.factories import forwarded, merchant_user
from tests.merchants.factories import BoothFactory, MerchantFactory, document_file, photo_file
from tests.returns.factories import ReturnFactory


def build_world(mall, tag):
    """Records in `mall`; `tag` keeps usernames and numbers apart between the two malls."""
    officer = make_staff(Role.COMPLAINT_OFFICER, mall, username=f"w-officer-{tag}")
    desk = make_staff(Role.FRONT_DESK, mall, username=f"w-desk-{tag}")
    supervisor = make_staff(Role.SUPERVISOR, mall, username=f"w-supervisor-{tag}")
    clerk = make_staff(Role.CLERK, mall, username=f"w-clerk-{tag}")
    inspector = make_staff(Role.PRICE_TAG_OFFICER, mall, username=f"w-pricetag-{tag}")

    merchant = MerchantFactory(mall=mall)
    booth = BoothFactory(merchant=merchant)
    customer = CustomerFactory(mall=mall, mobile=f"1391234{tag:0>4}"[:11])
    complaint = ComplaintFactory(mall=mall, booth=booth, customer=customer, number=f"TS-{mall.code}-20260101-0001")
    complaint_attach(complaint=complaint, actor=desk, upload=photo_file("photo.png"))
    escalated = escalated_complaint(mall, clerk=clerk, number=f"TS-{mall.code}-20260101-0002")
    compensation = propose(escalated, officer, "300.00", evidence=[photo_file("evidence.png")])
    staff_complaint = staff_complaint_register(
        mall=mall,
        actor=desk,
        booth=booth,
        caller_name="李先生",
        caller_phone="13900001111",
        staff_name="3号导购",
        issue="attitude",
        description="服务态度差",
    )
    document = document_upload(merchant=merchant, actor=clerk, kind=DocumentKind.LICENCE, file=document_file())
    inspection = inspection_record(booth=booth, actor=inspector, items_checked=10, failures=[("tag_missing", "")])
    return_request = ReturnFactory(merchant=merchant, customer=customer, number=f"TH-{mall.code}-20261120-0001")
    exchange = ExchangeFactory(merchant=merchant, customer=customer, number=f"HH-{mall.code}-20261120-0001")
    sale = SaleFactory(mall=mall, customer=customer, order_number=f"XS-{mall.code}-1", amount=Decimal("100.00"))
    callback = CallbackFactory(sale=sale)
    sales_import = SalesImport.objects.create(mall=mall, file_name="sales.csv", created_by=clerk)
    desk_services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[timezone.localdate().weekday()])
    play = desk_services.programme_draw_up(mall=mall, day=timezone.localdate()).first()
    slot = BroadcastSlot.objects.filter(mall=mall).first()
    handover = desk_services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="钥匙")
    matter = desk_services.matter_record(mall=mall, actor=desk, text="王女士来取发票", important=True)
    enquiry = desk_services.enquiry_record(
        mall=mall,
        actor=desk,
        channel="phone",
        topic="return",
        question="能退货吗？",
        customer_name="王先生",
        customer_mobile="13812345678",
    )
    spot_check = desk_services.spot_check_record(
        mall=mall,
        actor=supervisor,
        channel="desk",
        staff_checked=desk,
        scores={"appearance": 15, "greeting": 15, "courtesy": 20, "answer": 18, "ownership": 15, "desk_order": 12},
    )
    roster = desk_services.roster_draw_up(mall=mall, month=timezone.localdate(), actor=supervisor)
    desk_services.roster_set_duties(
        roster=roster, actor=supervisor, duties={(desk.pk, timezone.localdate()): "morning"}
    )
    desk_services.roster_publish(roster=roster, actor=supervisor)
    incident = desk_services.incident_record(
        mall=mall, actor=desk, kind="repair", place="一楼卫生间", summary="洗手池漏水"
    )
    visit_complaint = ComplaintFactory(
        mall=mall, booth=booth, customer=customer, number=f"TS-{mall.code}-20260101-0003"
    )
    visit_callback = CallbackFactory(
        sale=None, mall=mall, customer=customer, complaint=visit_complaint, kind=CallbackKind.HOME_VISIT
    )
    visit = HomeVisit.objects.create(
        mall=mall, callback=visit_callback, visit_on=timezone.localdate(), address="上海市普陀区", officer=officer
    )
    visit_photo = HomeVisitPhoto.objects.create(visit=visit, image=photo_file("visit.png"))
    # The merchant portal (issue #19): the merchant's own user and a complaint forwarded to it.
    merchant_account = merchant_user(merchant, mobile=f"1390000{tag:0>4}"[:11])
    forwarded_complaint = forwarded(mall, officer, booth, customer_mobile=f"1381234{tag:0>4}"[:11])
    forwarded_photo = complaint_attach(complaint=forwarded_complaint, actor=desk, upload=photo_file("sofa.png"))
    return_photo = ReturnPhoto.objects.create(
        return_request=return_request, token="0" * 16, file=photo_file("goods.png"), uploaded_by=desk
    )
    inspection_photo = InspectionPhoto.objects.create(inspection=inspection, image=photo_file("tag.png"))
    # A driver run (issue 21) with one stop done with its photo; the matrix's own driver is
    # not this run's driver.
    run = DeliveryRun.objects.create(
        mall=mall,
        run_on=timezone.localdate(),
        driver=make_staff(Role.DRIVER, mall, username=f"w-driver-{tag}"),
        planned_by=clerk,
    )
    stop = RunStop.objects.create(
        run=run,
        position=1,
        task="visit",
        home_visit=visit,
        address="上海市普陀区",
        customer_name="王先生",
        customer_mobile_masked="138****5678",
        status="delivered",
        done_at=timezone.now(),
    )
    stop.photo.save("door.png", photo_file("door.png"), save=True)
    article = published(officer, supervisor, mall, "沙发开裂的处理", "90天内可退换修。")
    archive = ReportArchive.objects.create(kind=ReportArchive.Kind.WEEKLY, mall=mall, period_key="2026-W01")
    archive.file.save("weekly.xlsx", document_file().file, save=True)
    from portal.models import CaseMessage

    customer_photo = CaseMessage(
        mall=mall, case_type="complaint", case_id=complaint.pk, direction="from_customer", token="p1"
    )
    customer_photo.photo.save("cushion.png", photo_file("cushion.png"), save=True)
    return {
        "customer_photo": customer_photo,
        "customer": customer,
        "merchant": merchant,
        "complaint": complaint,
        "attachment": ComplaintAttachment.objects.get(complaint=complaint),
        "escalated": escalated,
        "compensation": compensation,
        "evidence": compensation.evidence.first(),
        "staff_complaint": staff_complaint,
        "document": document,
        "inspection": inspection,
        "return": return_request,
        "exchange": exchange,
        "callback": callback,
        "visit_callback": visit_callback,
        "visit_photo": visit_photo,
        "sales_import": sales_import,
        "play": play,
        "slot": slot,
        "script": slot.script,
        "handover": handover,
        "enquiry": enquiry,
        "matter": matter,
        "spot_check": spot_check,
        "roster": roster,
        "incident": incident,
        "archive": archive,
        "article": article,
        "merchant_account": merchant_account,
        "forwarded": forwarded_complaint,
        "forwarded_photo": forwarded_photo,
        "return_photo": return_photo,
        "inspection_photo": inspection_photo,
        "run": run,
        "stop": stop,
        # A background report export belongs to whoever asked for it (the matrix swaps in its own).
        "export": ReportExport.objects.create(requested_by=supervisor, period_key="2026-W01"),
    }


def notification_for(user, mall):
    return Notification.objects.create(recipient=user, mall=mall, key=f"matrix-{user.pk}-{mall.pk}", title="测试通知")


__all__ = ["date", "time"]
