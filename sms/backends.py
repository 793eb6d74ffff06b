"""SMS backends, chosen by the SMS_URL setting (like EMAIL_URL):

- `console://` (default): nothing leaves the machine; each text is logged (mobile masked, links
  and codes masked) and stays in the outbox, where the administrator reads it.
- `tencent://<SecretId>:<SecretKey>@<endpoint>/?app=<SmsSdkAppId>&sign=<签名>&region=<region>`:
  Tencent Cloud SMS (API 2021-01-11) through its SDK. `endpoint` defaults to
  sms.tencentcloudapi.com; `scheme=http` is only for a local stand-in in tests. Template ids per
  event come from the mall's SMS settings.

A backend's `send(message, event, policy)` returns the provider's reference, or raises
`TransientSmsError` (retry later) or `PermanentSmsError` (never retry).
"""

import logging
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger("sms")


class TransientSmsError(Exception):
    pass


class PermanentSmsError(Exception):
    pass


class ConsoleBackend:
    name = "console"

    def send(self, message, event, policy):
        # The masked text only: a link token or a code never reaches a log.
        log.info("SMS %s to %s [%s]: %s", message.key, message.masked_mobile, message.event, message.text)
        return f"console-{message.pk}"


class TencentBackend:
    """Tencent Cloud SMS SendSms through tencentcloud-sdk-python-sms."""

    name = "tencent"
    # Error codes worth trying again later; every other refusal is final.
    TRANSIENT = ("InternalError", "RequestLimitExceeded", "LimitExceeded.DeliveryFrequencyLimit", "ClientNetworkError")

    def __init__(self, secret_id, secret_key, endpoint, app_id, sign_name, region, scheme="https", timeout=10):
        if not (secret_id and secret_key and app_id):
            raise ImproperlyConfigured("SMS_URL tencent:// needs SecretId, SecretKey and ?app=<SmsSdkAppId>")
        self.secret_id, self.secret_key = secret_id, secret_key
        self.endpoint, self.app_id, self.sign_name = endpoint, app_id, sign_name
        self.region, self.scheme, self.timeout = region, scheme, timeout

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(protocol=self.scheme, endpoint=self.endpoint, reqTimeout=self.timeout)
        profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http)
        return sms_client.SmsClient(credential.Credential(self.secret_id, self.secret_key), self.region, profile)

    def send(self, message, event, policy):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        template_id = str((policy.templates or {}).get(message.event, "")).strip()
        if not template_id:
            raise PermanentSmsError(f"no template id for event {message.event} in the mall's SMS settings")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{message.mobile}"]
        request.SmsSdkAppId = self.app_id
        request.SignName = policy.sign_name or self.sign_name
        request.TemplateId = template_id
        request.TemplateParamSet = event.template_params(message.params)
        request.SessionContext = message.key
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as error:
            code = error.get_code() or "ClientError"
            text = f"{code}: {error.get_message()}"[:300]
            if code.startswith(self.TRANSIENT):
                raise TransientSmsError(text) from None
            raise PermanentSmsError(text) from None
        except OSError as error:  # the connection itself
            raise TransientSmsError(f"network: {error}"[:300]) from None
        status = (response.SendStatusSet or [None])[0]
        if status is None:
            raise TransientSmsError("empty SendStatusSet")
        if status.Code != "Ok":
            text = f"{status.Code}: {status.Message}"[:300]
            if status.Code.startswith(self.TRANSIENT):
                raise TransientSmsError(text)
            raise PermanentSmsError(text)
        return status.SerialNo or response.RequestId or ""


def backend_from_url(url):
    parts = urlsplit(url)
    if parts.scheme == "console":
        return ConsoleBackend()
    if parts.scheme == "tencent":
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        endpoint = parts.hostname or "sms.tencentcloudapi.com"
        if parts.port:
            endpoint = f"{endpoint}:{parts.port}"
        return TencentBackend(
            secret_id=unquote(parts.username or ""),
            secret_key=unquote(parts.password or ""),
            endpoint=endpoint,
            app_id=query.get("app", ""),
            sign_name=query.get("sign", ""),
            region=query.get("region", "ap-guangzhou"),
            scheme=query.get("scheme", "https"),
            timeout=int(query.get("timeout", "10")),
        )
    raise ImproperlyConfigured(f"SMS_URL: unknown scheme {parts.scheme!r} (console:// or tencent://)")


@lru_cache(maxsize=4)
def _cached(url):
    return backend_from_url(url)


def get_backend():
    return _cached(settings.SMS_URL)
