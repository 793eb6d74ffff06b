from django.db import migrations

DEFAULT_DAYS = 3


def carry_service_days(apps, schema_editor):
    """One setting for "call back within N days of resolution": the complaint policy's
    callback_days, which the complaint's callback clock already used. A mall that changed the
    callback policy's service_within_days (and left the complaint's at the default) keeps its
    number, from the same date, in the complaint policy."""
    CallbackPolicy = apps.get_model("followups", "CallbackPolicy")
    ComplaintPolicy = apps.get_model("complaints", "ComplaintPolicy")
    versions = list(CallbackPolicy.objects.order_by("mall_id", "effective_from"))
    for index, version in enumerate(versions):
        if version.service_within_days == DEFAULT_DAYS:
            continue
        following = versions[index + 1] if index + 1 < len(versions) else None
        until = following.effective_from if following and following.mall_id == version.mall_id else None
        current = (
            ComplaintPolicy.objects.filter(mall_id=version.mall_id, effective_from__lte=version.effective_from)
            .order_by("-effective_from")
            .first()
        )
        if current is not None and current.callback_days != DEFAULT_DAYS:
            continue  # the complaint's own number was set on purpose: it stays the one
        if current is None or current.effective_from != version.effective_from:
            fields = {"mall_id": version.mall_id}
            if current is not None:
                fields = {
                    f.attname: getattr(current, f.attname)
                    for f in ComplaintPolicy._meta.concrete_fields
                    if not f.primary_key
                }
            fields["effective_from"] = version.effective_from
            current = ComplaintPolicy(**fields)
        current.callback_days = version.service_within_days
        current.save()
        later = ComplaintPolicy.objects.filter(
            mall_id=version.mall_id, effective_from__gt=version.effective_from, callback_days=DEFAULT_DAYS
        )
        if until is not None:
            later = later.filter(effective_from__lt=until)
        later.update(callback_days=version.service_within_days)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0005_callback_survey"),
        ("complaints", "0010_merchant_portal_reply"),
    ]

    operations = [
        migrations.RunPython(carry_service_days, migrations.RunPython.noop),
        migrations.RemoveField(model_name="callbackpolicy", name="service_within_days"),
        migrations.RemoveField(model_name="historicalcallbackpolicy", name="service_within_days"),
    ]
